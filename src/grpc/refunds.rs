//! RefundService: decode, call the service, encode.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::auth::merchant;
use crate::proto::{self, v1};
use crate::service::refunds::Refunds;

pub struct RefundApi {
    refunds: Arc<Refunds>,
}

impl RefundApi {
    pub fn new(refunds: Arc<Refunds>) -> Self {
        Self { refunds }
    }
}

#[tonic::async_trait]
impl v1::refund_service_server::RefundService for RefundApi {
    async fn create_refund(
        &self,
        req: Request<v1::CreateRefundRequest>,
    ) -> Result<Response<v1::CreateRefundResponse>, Status> {
        let merchant = merchant(&req)?;
        let r = self.refunds.create(&merchant, req.get_ref()).await?;
        Ok(Response::new(v1::CreateRefundResponse {
            refund: Some(proto::refund(&r)),
        }))
    }

    async fn get_refund(
        &self,
        req: Request<v1::GetRefundRequest>,
    ) -> Result<Response<v1::GetRefundResponse>, Status> {
        let merchant = merchant(&req)?;
        let r = self.refunds.get(&merchant, req.get_ref()).await?;
        Ok(Response::new(v1::GetRefundResponse {
            refund: Some(proto::refund(&r)),
        }))
    }

    async fn list_refunds(
        &self,
        req: Request<v1::ListRefundsRequest>,
    ) -> Result<Response<v1::ListRefundsResponse>, Status> {
        let merchant = merchant(&req)?;
        let (refunds, next_page_token) = self.refunds.list(&merchant, req.get_ref()).await?;
        Ok(Response::new(v1::ListRefundsResponse {
            refunds: refunds.iter().map(proto::refund).collect(),
            next_page_token,
        }))
    }
}

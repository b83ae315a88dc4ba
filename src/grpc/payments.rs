//! PaymentService: decode, call the service, encode.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::auth::merchant;
use crate::proto::{self, v1};
use crate::service::payments::{self, Payments};

pub struct PaymentApi {
    payments: Arc<Payments>,
}

impl PaymentApi {
    pub fn new(payments: Arc<Payments>) -> Self {
        Self { payments }
    }
}

#[tonic::async_trait]
impl v1::payment_service_server::PaymentService for PaymentApi {
    async fn create_payment(
        &self,
        req: Request<v1::CreatePaymentRequest>,
    ) -> Result<Response<v1::CreatePaymentResponse>, Status> {
        let merchant = merchant(&req)?;
        let budget = deadline(req.metadata());
        let p = self
            .payments
            .create(&merchant, req.get_ref(), budget)
            .await?;
        Ok(Response::new(v1::CreatePaymentResponse {
            payment: Some(proto::payment(&p)),
        }))
    }

    async fn get_payment(
        &self,
        req: Request<v1::GetPaymentRequest>,
    ) -> Result<Response<v1::GetPaymentResponse>, Status> {
        let merchant = merchant(&req)?;
        let p = self.payments.get(&merchant, req.get_ref()).await?;
        Ok(Response::new(v1::GetPaymentResponse {
            payment: Some(proto::payment(&p)),
        }))
    }

    async fn list_payments(
        &self,
        req: Request<v1::ListPaymentsRequest>,
    ) -> Result<Response<v1::ListPaymentsResponse>, Status> {
        let merchant = merchant(&req)?;
        let page = self.payments.list(&merchant, req.get_ref()).await?;
        Ok(Response::new(v1::ListPaymentsResponse {
            payments: page.payments.iter().map(proto::payment).collect(),
            next_page_token: page.next_page_token,
        }))
    }

    async fn close_payment(
        &self,
        req: Request<v1::ClosePaymentRequest>,
    ) -> Result<Response<v1::ClosePaymentResponse>, Status> {
        let merchant = merchant(&req)?;
        let r = req.get_ref();
        let key = payments::payment_key(&r.id, &r.merchant_order_id)?;
        let p = self.payments.close(&merchant, key).await?;
        Ok(Response::new(v1::ClosePaymentResponse {
            payment: Some(proto::payment(&p)),
        }))
    }

    async fn sync_payment(
        &self,
        req: Request<v1::SyncPaymentRequest>,
    ) -> Result<Response<v1::SyncPaymentResponse>, Status> {
        let merchant = merchant(&req)?;
        let r = req.get_ref();
        let key = payments::payment_key(&r.id, &r.merchant_order_id)?;
        let p = self.payments.sync(&merchant, key).await?;
        Ok(Response::new(v1::SyncPaymentResponse {
            payment: Some(proto::payment(&p)),
        }))
    }
}

/// The time the caller gave the call (`grpc-timeout`), if it set a deadline.
fn deadline(metadata: &tonic::metadata::MetadataMap) -> Option<std::time::Duration> {
    use std::time::Duration;
    let value = metadata.get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.saturating_mul(3600)),
        "M" => Duration::from_secs(n.saturating_mul(60)),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

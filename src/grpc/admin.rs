//! AdminService: the operator's view. The auth layer has already checked the operator key.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::app::App;
use crate::proto::{self, v1};
use crate::routing::Router;

pub struct AdminApi {
    router: Arc<Router>,
}

impl AdminApi {
    pub fn new(app: &App) -> Self {
        Self {
            router: app.router.clone(),
        }
    }
}

#[tonic::async_trait]
impl v1::admin_service_server::AdminService for AdminApi {
    async fn list_channels(
        &self,
        _: Request<v1::ListChannelsRequest>,
    ) -> Result<Response<v1::ListChannelsResponse>, Status> {
        let channels = self
            .router
            .channels()
            .iter()
            .map(|c| v1::Channel {
                id: c.id.to_string(),
                provider: c.provider.provider_name().to_owned(),
                enabled: c.enabled,
                methods: c.methods.iter().map(|m| proto::method(*m).into()).collect(),
                currencies: c.currencies.iter().map(|c| c.code().to_owned()).collect(),
            })
            .collect();
        Ok(Response::new(v1::ListChannelsResponse { channels }))
    }
}

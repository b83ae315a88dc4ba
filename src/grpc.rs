//! The gRPC edge: thin handlers per service, the auth layer, health and reflection.

mod admin;
pub mod auth;
pub mod error;
pub mod keyless;
mod notify;
pub mod observe;
mod payments;
pub mod peer;
pub mod quota;
mod reconciliation;
mod refunds;

use std::sync::Arc;

use tonic::service::Routes;

use crate::proto::v1::admin_service_server::AdminServiceServer;
use crate::proto::v1::notify_service_server::NotifyServiceServer;
use crate::proto::v1::payment_service_server::PaymentServiceServer;
use crate::proto::v1::reconciliation_service_server::ReconciliationServiceServer;
use crate::proto::v1::refund_service_server::RefundServiceServer;
use crate::service::Services;
use crate::service::status::Status;

/// The largest request health and reflection take: a service or file name. They need no
/// key, so a bigger message (tonic's default is 4 MiB) would be memory anyone could fill.
const KEYLESS_MESSAGE: usize = 16 * 1024;

/// Every gRPC service paycore serves, with the health reporter to flip on shutdown.
pub fn routes(services: &Services) -> (Routes, tonic_health::server::HealthReporter) {
    let (health, health_service) = tonic_health::server::health_reporter();
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            // google.rpc error details, so tools like grpcurl can decode them.
            .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_alpha = reflection()
        .build_v1alpha()
        .ok()
        .map(|s| s.max_decoding_message_size(KEYLESS_MESSAGE));
    let reflection = reflection()
        .build_v1()
        .ok()
        .map(|s| s.max_decoding_message_size(KEYLESS_MESSAGE));
    let mut routes = Routes::default()
        .add_service(health_service.max_decoding_message_size(KEYLESS_MESSAGE))
        .add_service(PaymentServiceServer::new(payments::PaymentApi::new(
            services.payments.clone(),
        )))
        .add_service(RefundServiceServer::new(refunds::RefundApi::new(
            services.refunds.clone(),
        )))
        .add_service(AdminServiceServer::new(admin::AdminApi::new(
            services.channels.clone(),
            services.merchants.clone(),
            services.payments.clone(),
            services.risk.clone(),
        )))
        .add_service(ReconciliationServiceServer::new(
            reconciliation::ReconciliationApi::new(services.reconciler.clone()),
        ))
        .add_service(NotifyServiceServer::new(notify::NotifyApi::new(
            services.notify.clone(),
            services.events.clone(),
            services.clock.clone(),
        )));
    if let (Some(v1), Some(alpha)) = (reflection, reflection_alpha) {
        routes = routes.add_service(v1).add_service(alpha);
    }
    (routes, health)
}

/// Marks every paycore service as serving (or not) in grpc.health.v1.
pub async fn set_serving(health: &tonic_health::server::HealthReporter, serving: bool) {
    let status = if serving {
        tonic_health::ServingStatus::Serving
    } else {
        tonic_health::ServingStatus::NotServing
    };
    for name in [
        "",
        "paycore.v1.PaymentService",
        "paycore.v1.RefundService",
        "paycore.v1.AdminService",
        "paycore.v1.NotifyService",
        "paycore.v1.ReconciliationService",
    ] {
        health.set_service_status(name, status).await;
    }
}

/// How often health follows the database.
const HEALTH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// Keeps grpc.health.v1 in step with the database: NOT_SERVING while it does not answer
/// (so a load balancer sends requests to other nodes), SERVING again once it does. Ends
/// when `stop` turns true; shutdown then owns the status.
pub async fn follow_database(
    status: Arc<Status>,
    health: tonic_health::server::HealthReporter,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut serving = true;
    loop {
        tokio::select! {
            _ = stop.wait_for(|stop| *stop) => return,
            _ = tokio::time::sleep(HEALTH_INTERVAL) => {}
        }
        let up = status.database_up(HEALTH_INTERVAL * 2).await;
        if up != serving && !*stop.borrow() {
            if up {
                tracing::info!("database reachable again: serving");
            } else {
                tracing::warn!("database unreachable: not serving");
            }
            set_serving(&health, up).await;
            serving = up;
        }
    }
}

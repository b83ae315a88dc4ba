//! AdminService: the operator's view and controls of channels, merchants and their keys.
//! The auth layer has already checked the operator key.

mod merchants;
mod reviews;
mod risk;

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::proto::{self, v1};
use crate::service::Error;
use crate::service::channels::{BreakerState, ChannelView, Channels, FaultMode, Faults};
use crate::service::merchants::Merchants;
use crate::service::payments::Payments;
use crate::service::risk::Risk;

/// How long an old webhook secret keeps signing when a rotation does not say.
const DEFAULT_GRACE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

pub struct AdminApi {
    channels: Arc<Channels>,
    merchants: Arc<Merchants>,
    payments: Arc<Payments>,
    risk: Arc<Risk>,
}

impl AdminApi {
    pub fn new(
        channels: Arc<Channels>,
        merchants: Arc<Merchants>,
        payments: Arc<Payments>,
        risk: Arc<Risk>,
    ) -> Self {
        Self {
            channels,
            merchants,
            payments,
            risk,
        }
    }
}

fn duration(d: std::time::Duration) -> Option<prost_types::Duration> {
    prost_types::Duration::try_from(d).ok()
}

fn channel(view: ChannelView) -> v1::Channel {
    let c = &view.channel;
    let breaker = match view.breaker {
        BreakerState::Closed => v1::BreakerState::Closed,
        BreakerState::Open => v1::BreakerState::Open,
        BreakerState::HalfOpen => v1::BreakerState::HalfOpen,
    };
    v1::Channel {
        id: c.id.to_string(),
        provider: c.provider.provider_name().to_owned(),
        enabled: c.enabled(),
        methods: c.methods.iter().map(|m| proto::method(*m).into()).collect(),
        currencies: c.currencies.iter().map(|c| c.code().to_owned()).collect(),
        priority: c.priority,
        weight: c.weight,
        breaker_state: breaker.into(),
        success_rate: view.stats.success_rate,
        latency_p50: duration(view.stats.latency_p50),
        latency_p99: duration(view.stats.latency_p99),
        in_flight: i32::try_from(view.stats.in_flight).unwrap_or(i32::MAX),
        limiter_headroom: view.limiter_headroom,
        last_error: view.stats.last_error.unwrap_or_default(),
        faults: view.faults.map(|f| v1::ChannelFaults {
            failure_rate: f.failure_rate,
            added_latency: duration(f.added_latency),
            mode: match f.mode {
                FaultMode::Unavailable => v1::FaultMode::Unavailable,
                FaultMode::Timeout => v1::FaultMode::Timeout,
                FaultMode::Decline => v1::FaultMode::Decline,
            }
            .into(),
            duration: f.duration.and_then(duration),
        }),
    }
}

fn faults(f: Option<&v1::ChannelFaults>) -> Result<Faults, Error> {
    let Some(f) = f else {
        return Ok(Faults::default());
    };
    let added_latency = match &f.added_latency {
        None => std::time::Duration::ZERO,
        Some(d) => std::time::Duration::try_from(*d).map_err(|_| {
            Error::invalid(
                "faults.added_latency",
                "INVALID_DURATION",
                "must not be negative",
            )
        })?,
    };
    let mode = match v1::FaultMode::try_from(f.mode) {
        Ok(v1::FaultMode::Unspecified | v1::FaultMode::Unavailable) => FaultMode::Unavailable,
        Ok(v1::FaultMode::Timeout) => FaultMode::Timeout,
        Ok(v1::FaultMode::Decline) => FaultMode::Decline,
        Err(_) => {
            return Err(Error::invalid(
                "faults.mode",
                "INVALID_MODE",
                "unknown fault mode",
            ));
        }
    };
    let lasts = match &f.duration {
        None => None,
        Some(d) => Some(
            std::time::Duration::try_from(*d)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    Error::invalid("faults.duration", "INVALID_DURATION", "must be positive")
                })?,
        ),
    };
    Ok(Faults {
        failure_rate: f.failure_rate,
        added_latency,
        mode,
        duration: lasts,
    })
}

#[tonic::async_trait]
impl v1::admin_service_server::AdminService for AdminApi {
    async fn list_channels(
        &self,
        _: Request<v1::ListChannelsRequest>,
    ) -> Result<Response<v1::ListChannelsResponse>, Status> {
        let channels = self.channels.list().into_iter().map(channel).collect();
        Ok(Response::new(v1::ListChannelsResponse { channels }))
    }

    async fn set_channel_enabled(
        &self,
        req: Request<v1::SetChannelEnabledRequest>,
    ) -> Result<Response<v1::SetChannelEnabledResponse>, Status> {
        let req = req.into_inner();
        let view = self.channels.set_enabled(&req.channel_id, req.enabled)?;
        Ok(Response::new(v1::SetChannelEnabledResponse {
            channel: Some(channel(view)),
        }))
    }

    async fn set_channel_faults(
        &self,
        req: Request<v1::SetChannelFaultsRequest>,
    ) -> Result<Response<v1::SetChannelFaultsResponse>, Status> {
        let req = req.into_inner();
        let faults = faults(req.faults.as_ref())?;
        let view = self.channels.set_faults(&req.channel_id, faults)?;
        Ok(Response::new(v1::SetChannelFaultsResponse {
            channel: Some(channel(view)),
        }))
    }

    async fn create_merchant(
        &self,
        req: Request<v1::CreateMerchantRequest>,
    ) -> Result<Response<v1::CreateMerchantResponse>, Status> {
        let req = req.into_inner();
        let url = merchants::optional(req.webhook_url);
        let created = self.merchants.create(&req.name, url).await?;
        Ok(Response::new(v1::CreateMerchantResponse {
            merchant: Some(merchants::merchant(&created.merchant)),
            api_key: Some(merchants::api_key(&created.key)),
            key: created.api_key.expose().clone(),
            webhook_secret: created.merchant.webhook_secret.expose().clone(),
        }))
    }

    async fn list_merchants(
        &self,
        _: Request<v1::ListMerchantsRequest>,
    ) -> Result<Response<v1::ListMerchantsResponse>, Status> {
        let all = self.merchants.list().await.map_err(Error::from)?;
        Ok(Response::new(v1::ListMerchantsResponse {
            merchants: all.iter().map(merchants::merchant).collect(),
        }))
    }

    async fn create_api_key(
        &self,
        req: Request<v1::CreateApiKeyRequest>,
    ) -> Result<Response<v1::CreateApiKeyResponse>, Status> {
        let req = req.into_inner();
        let merchant = merchants::merchant_id(&req.merchant_id)?;
        let valid_for = merchants::duration("valid_for", req.valid_for.as_ref())?;
        let (key, secret) = self
            .merchants
            .create_key(&merchant, &req.name, valid_for)
            .await?;
        Ok(Response::new(v1::CreateApiKeyResponse {
            api_key: Some(merchants::api_key(&key)),
            key: secret.expose().clone(),
        }))
    }

    async fn list_api_keys(
        &self,
        req: Request<v1::ListApiKeysRequest>,
    ) -> Result<Response<v1::ListApiKeysResponse>, Status> {
        let merchant = merchants::merchant_id(&req.into_inner().merchant_id)?;
        let keys = self.merchants.keys(&merchant).await?;
        Ok(Response::new(v1::ListApiKeysResponse {
            api_keys: keys.iter().map(merchants::api_key).collect(),
        }))
    }

    async fn revoke_api_key(
        &self,
        req: Request<v1::RevokeApiKeyRequest>,
    ) -> Result<Response<v1::RevokeApiKeyResponse>, Status> {
        let req = req.into_inner();
        let merchant = merchants::merchant_id(&req.merchant_id)?;
        let id = merchants::api_key_id(&req.api_key_id)?;
        let key = self.merchants.revoke_key(&merchant, &id).await?;
        Ok(Response::new(v1::RevokeApiKeyResponse {
            api_key: Some(merchants::api_key(&key)),
        }))
    }

    async fn set_webhook_url(
        &self,
        req: Request<v1::SetWebhookUrlRequest>,
    ) -> Result<Response<v1::SetWebhookUrlResponse>, Status> {
        let req = req.into_inner();
        let merchant = merchants::merchant_id(&req.merchant_id)?;
        let url = merchants::optional(req.webhook_url);
        let m = self.merchants.set_webhook_url(&merchant, url).await?;
        Ok(Response::new(v1::SetWebhookUrlResponse {
            merchant: Some(merchants::merchant(&m)),
        }))
    }

    async fn set_client_names(
        &self,
        req: Request<v1::SetClientNamesRequest>,
    ) -> Result<Response<v1::SetClientNamesResponse>, Status> {
        let req = req.into_inner();
        let merchant = merchants::merchant_id(&req.merchant_id)?;
        let m = self
            .merchants
            .set_client_names(&merchant, req.client_names)
            .await?;
        Ok(Response::new(v1::SetClientNamesResponse {
            merchant: Some(merchants::merchant(&m)),
        }))
    }

    async fn rotate_webhook_secret(
        &self,
        req: Request<v1::RotateWebhookSecretRequest>,
    ) -> Result<Response<v1::RotateWebhookSecretResponse>, Status> {
        let req = req.into_inner();
        let merchant = merchants::merchant_id(&req.merchant_id)?;
        let grace = merchants::duration("grace", req.grace.as_ref())?.unwrap_or(DEFAULT_GRACE);
        let (secret, until) = self
            .merchants
            .rotate_webhook_secret(&merchant, grace)
            .await?;
        Ok(Response::new(v1::RotateWebhookSecretResponse {
            webhook_secret: secret.expose().clone(),
            previous_secret_expires_at: Some(proto::timestamp(until)),
        }))
    }

    async fn list_reviews(
        &self,
        req: Request<v1::ListReviewsRequest>,
    ) -> Result<Response<v1::ListReviewsResponse>, Status> {
        let req = req.into_inner();
        let merchant = reviews::merchant_filter(&req.merchant_id)?;
        let after = reviews::page_token(&req.page_token)?;
        let size =
            crate::service::page_size(req.page_size, reviews::DEFAULT_PAGE, reviews::MAX_PAGE)?;
        // One more than the page, to know whether another follows.
        let mut held = self
            .payments
            .reviews(merchant.as_ref(), after.as_ref(), size + 1)
            .await?;
        let more = held.len() > size as usize;
        held.truncate(size as usize);
        let next_page_token = match held.last() {
            Some(last) if more => last.id.to_string(),
            _ => String::new(),
        };
        Ok(Response::new(v1::ListReviewsResponse {
            payments: held.iter().map(proto::payment).collect(),
            next_page_token,
        }))
    }

    async fn approve_review(
        &self,
        req: Request<v1::ApproveReviewRequest>,
    ) -> Result<Response<v1::ApproveReviewResponse>, Status> {
        let req = req.into_inner();
        let id = reviews::payment_id(&req.payment_id)?;
        let p = self.payments.approve(&id, &req.reviewer, &req.note).await?;
        Ok(Response::new(v1::ApproveReviewResponse {
            payment: Some(proto::payment(&p)),
        }))
    }

    async fn reject_review(
        &self,
        req: Request<v1::RejectReviewRequest>,
    ) -> Result<Response<v1::RejectReviewResponse>, Status> {
        let req = req.into_inner();
        let id = reviews::payment_id(&req.payment_id)?;
        let p = self.payments.reject(&id, &req.reviewer, &req.note).await?;
        Ok(Response::new(v1::RejectReviewResponse {
            payment: Some(proto::payment(&p)),
        }))
    }

    async fn list_risk_rules(
        &self,
        _req: Request<v1::ListRiskRulesRequest>,
    ) -> Result<Response<v1::ListRiskRulesResponse>, Status> {
        Ok(Response::new(v1::ListRiskRulesResponse {
            rules: self.risk.rule_views().iter().map(risk::rule).collect(),
        }))
    }

    async fn put_risk_rule(
        &self,
        req: Request<v1::PutRiskRuleRequest>,
    ) -> Result<Response<v1::PutRiskRuleResponse>, Status> {
        let req = req.into_inner();
        let spec = risk::spec(req.rule)?;
        let view = self.risk.put_rule(&req.actor, spec).await?;
        Ok(Response::new(v1::PutRiskRuleResponse {
            rule: Some(risk::rule(&view)),
        }))
    }

    async fn set_risk_rule_enabled(
        &self,
        req: Request<v1::SetRiskRuleEnabledRequest>,
    ) -> Result<Response<v1::SetRiskRuleEnabledResponse>, Status> {
        let req = req.into_inner();
        let view = self
            .risk
            .set_enabled(&req.actor, &req.rule_id, req.enabled)
            .await?;
        Ok(Response::new(v1::SetRiskRuleEnabledResponse {
            rule: Some(risk::rule(&view)),
        }))
    }

    async fn delete_risk_rule(
        &self,
        req: Request<v1::DeleteRiskRuleRequest>,
    ) -> Result<Response<v1::DeleteRiskRuleResponse>, Status> {
        let req = req.into_inner();
        let restored = self.risk.delete_rule(&req.actor, &req.rule_id).await?;
        Ok(Response::new(v1::DeleteRiskRuleResponse {
            restored: restored.as_ref().map(risk::rule),
        }))
    }

    async fn list_risk_lists(
        &self,
        _req: Request<v1::ListRiskListsRequest>,
    ) -> Result<Response<v1::ListRiskListsResponse>, Status> {
        Ok(Response::new(v1::ListRiskListsResponse {
            lists: self.risk.list_views().iter().map(risk::list).collect(),
        }))
    }

    async fn create_risk_list(
        &self,
        req: Request<v1::CreateRiskListRequest>,
    ) -> Result<Response<v1::CreateRiskListResponse>, Status> {
        let req = req.into_inner();
        let view = self
            .risk
            .create_list(&req.actor, &req.list_id, &req.kind)
            .await?;
        Ok(Response::new(v1::CreateRiskListResponse {
            list: Some(risk::list(&view)),
        }))
    }

    async fn list_risk_list_entries(
        &self,
        req: Request<v1::ListRiskListEntriesRequest>,
    ) -> Result<Response<v1::ListRiskListEntriesResponse>, Status> {
        let req = req.into_inner();
        let size = crate::service::page_size(
            req.page_size,
            risk::DEFAULT_ENTRIES_PAGE,
            risk::MAX_ENTRIES_PAGE,
        )? as usize;
        let after = (!req.page_token.is_empty()).then_some(req.page_token.as_str());
        let mut entries = self.risk.entries(&req.list_id, after, size + 1)?;
        let more = entries.len() > size;
        entries.truncate(size);
        let next_page_token = match entries.last() {
            Some(last) if more => last.clone(),
            _ => String::new(),
        };
        Ok(Response::new(v1::ListRiskListEntriesResponse {
            entries,
            next_page_token,
        }))
    }

    async fn add_risk_list_entries(
        &self,
        req: Request<v1::AddRiskListEntriesRequest>,
    ) -> Result<Response<v1::AddRiskListEntriesResponse>, Status> {
        let req = req.into_inner();
        let (view, added) = self
            .risk
            .add_entries(&req.actor, &req.list_id, &req.entries)
            .await?;
        Ok(Response::new(v1::AddRiskListEntriesResponse {
            list: Some(risk::list(&view)),
            added: risk::count(added),
        }))
    }

    async fn remove_risk_list_entries(
        &self,
        req: Request<v1::RemoveRiskListEntriesRequest>,
    ) -> Result<Response<v1::RemoveRiskListEntriesResponse>, Status> {
        let req = req.into_inner();
        let (view, removed) = self
            .risk
            .remove_entries(&req.actor, &req.list_id, &req.entries)
            .await?;
        Ok(Response::new(v1::RemoveRiskListEntriesResponse {
            list: Some(risk::list(&view)),
            removed: risk::count(removed),
        }))
    }

    async fn list_risk_audit(
        &self,
        req: Request<v1::ListRiskAuditRequest>,
    ) -> Result<Response<v1::ListRiskAuditResponse>, Status> {
        let req = req.into_inner();
        let before = reviews::page_token(&req.page_token)?;
        let size =
            crate::service::page_size(req.page_size, reviews::DEFAULT_PAGE, reviews::MAX_PAGE)?;
        let mut records = self.risk.audit(before, size + 1).await?;
        let more = records.len() > size as usize;
        records.truncate(size as usize);
        let next_page_token = match records.last() {
            Some(last) if more => last.seq.to_string(),
            _ => String::new(),
        };
        Ok(Response::new(v1::ListRiskAuditResponse {
            records: records.iter().map(risk::audit).collect(),
            next_page_token,
        }))
    }

    async fn evaluate_risk(
        &self,
        req: Request<v1::EvaluateRiskRequest>,
    ) -> Result<Response<v1::EvaluateRiskResponse>, Status> {
        let req = req.into_inner();
        let merchant = merchants::merchant_id(&req.merchant_id)?;
        let merchant = self.merchants.get(&merchant).await?;
        let payment = req
            .payment
            .ok_or_else(|| Error::invalid("payment", "REQUIRED", "is required"))?;
        let evaluation = self.payments.evaluate(&merchant, &payment).await?;
        Ok(Response::new(v1::EvaluateRiskResponse {
            evaluation: Some(proto::evaluation(&evaluation)),
        }))
    }
}

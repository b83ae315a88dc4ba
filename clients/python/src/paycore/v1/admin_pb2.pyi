from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from paycore.v1 import payment_pb2 as _payment_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

BREAKER_STATE_CLOSED: BreakerState
BREAKER_STATE_HALF_OPEN: BreakerState
BREAKER_STATE_OPEN: BreakerState
BREAKER_STATE_UNSPECIFIED: BreakerState
DESCRIPTOR: _descriptor.FileDescriptor
FAULT_MODE_DECLINE: FaultMode
FAULT_MODE_TIMEOUT: FaultMode
FAULT_MODE_UNAVAILABLE: FaultMode
FAULT_MODE_UNSPECIFIED: FaultMode
RISK_SOURCE_CONFIG: RiskSource
RISK_SOURCE_RUNTIME: RiskSource
RISK_SOURCE_UNSPECIFIED: RiskSource

class AddRiskListEntriesRequest(_message.Message):
    __slots__ = ["actor", "entries", "list_id"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    LIST_ID_FIELD_NUMBER: _ClassVar[int]
    actor: str
    entries: _containers.RepeatedScalarFieldContainer[str]
    list_id: str
    def __init__(self, list_id: _Optional[str] = ..., entries: _Optional[_Iterable[str]] = ..., actor: _Optional[str] = ...) -> None: ...

class AddRiskListEntriesResponse(_message.Message):
    __slots__ = ["added", "list"]
    ADDED_FIELD_NUMBER: _ClassVar[int]
    LIST_FIELD_NUMBER: _ClassVar[int]
    added: int
    list: RiskList
    def __init__(self, list: _Optional[_Union[RiskList, _Mapping]] = ..., added: _Optional[int] = ...) -> None: ...

class ApiKey(_message.Message):
    __slots__ = ["created_at", "expires_at", "id", "merchant_id", "name", "revoked_at"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    id: str
    merchant_id: str
    name: str
    revoked_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., merchant_id: _Optional[str] = ..., name: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ApproveReviewRequest(_message.Message):
    __slots__ = ["note", "payment_id", "reviewer"]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    note: str
    payment_id: str
    reviewer: str
    def __init__(self, payment_id: _Optional[str] = ..., reviewer: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ApproveReviewResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ...) -> None: ...

class Channel(_message.Message):
    __slots__ = ["breaker_state", "currencies", "enabled", "faults", "id", "in_flight", "last_error", "latency_p50", "latency_p99", "limiter_headroom", "methods", "priority", "provider", "success_rate", "weight"]
    BREAKER_STATE_FIELD_NUMBER: _ClassVar[int]
    CURRENCIES_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    FAULTS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P50_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P99_FIELD_NUMBER: _ClassVar[int]
    LIMITER_HEADROOM_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_RATE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    breaker_state: BreakerState
    currencies: _containers.RepeatedScalarFieldContainer[str]
    enabled: bool
    faults: ChannelFaults
    id: str
    in_flight: int
    last_error: str
    latency_p50: _duration_pb2.Duration
    latency_p99: _duration_pb2.Duration
    limiter_headroom: int
    methods: _containers.RepeatedScalarFieldContainer[_payment_pb2.PaymentMethod]
    priority: int
    provider: str
    success_rate: float
    weight: int
    def __init__(self, id: _Optional[str] = ..., provider: _Optional[str] = ..., enabled: bool = ..., methods: _Optional[_Iterable[_Union[_payment_pb2.PaymentMethod, str]]] = ..., currencies: _Optional[_Iterable[str]] = ..., priority: _Optional[int] = ..., weight: _Optional[int] = ..., breaker_state: _Optional[_Union[BreakerState, str]] = ..., success_rate: _Optional[float] = ..., latency_p50: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., latency_p99: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., in_flight: _Optional[int] = ..., limiter_headroom: _Optional[int] = ..., last_error: _Optional[str] = ..., faults: _Optional[_Union[ChannelFaults, _Mapping]] = ...) -> None: ...

class ChannelFaults(_message.Message):
    __slots__ = ["added_latency", "duration", "failure_rate", "mode"]
    ADDED_LATENCY_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    FAILURE_RATE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    added_latency: _duration_pb2.Duration
    duration: _duration_pb2.Duration
    failure_rate: float
    mode: FaultMode
    def __init__(self, failure_rate: _Optional[float] = ..., added_latency: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., mode: _Optional[_Union[FaultMode, str]] = ..., duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class CreateApiKeyRequest(_message.Message):
    __slots__ = ["merchant_id", "name", "valid_for"]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALID_FOR_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    name: str
    valid_for: _duration_pb2.Duration
    def __init__(self, merchant_id: _Optional[str] = ..., name: _Optional[str] = ..., valid_for: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class CreateApiKeyResponse(_message.Message):
    __slots__ = ["api_key", "key"]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    api_key: ApiKey
    key: str
    def __init__(self, api_key: _Optional[_Union[ApiKey, _Mapping]] = ..., key: _Optional[str] = ...) -> None: ...

class CreateMerchantRequest(_message.Message):
    __slots__ = ["name", "webhook_url"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    name: str
    webhook_url: str
    def __init__(self, name: _Optional[str] = ..., webhook_url: _Optional[str] = ...) -> None: ...

class CreateMerchantResponse(_message.Message):
    __slots__ = ["api_key", "key", "merchant", "webhook_secret"]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_SECRET_FIELD_NUMBER: _ClassVar[int]
    api_key: ApiKey
    key: str
    merchant: Merchant
    webhook_secret: str
    def __init__(self, merchant: _Optional[_Union[Merchant, _Mapping]] = ..., api_key: _Optional[_Union[ApiKey, _Mapping]] = ..., key: _Optional[str] = ..., webhook_secret: _Optional[str] = ...) -> None: ...

class CreateRiskListRequest(_message.Message):
    __slots__ = ["actor", "kind", "list_id"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LIST_ID_FIELD_NUMBER: _ClassVar[int]
    actor: str
    kind: str
    list_id: str
    def __init__(self, list_id: _Optional[str] = ..., kind: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class CreateRiskListResponse(_message.Message):
    __slots__ = ["list"]
    LIST_FIELD_NUMBER: _ClassVar[int]
    list: RiskList
    def __init__(self, list: _Optional[_Union[RiskList, _Mapping]] = ...) -> None: ...

class DeleteRiskRuleRequest(_message.Message):
    __slots__ = ["actor", "rule_id"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    actor: str
    rule_id: str
    def __init__(self, rule_id: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class DeleteRiskRuleResponse(_message.Message):
    __slots__ = ["restored"]
    RESTORED_FIELD_NUMBER: _ClassVar[int]
    restored: RiskRule
    def __init__(self, restored: _Optional[_Union[RiskRule, _Mapping]] = ...) -> None: ...

class EvaluateRiskRequest(_message.Message):
    __slots__ = ["merchant_id", "payment"]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    payment: _payment_pb2.CreatePaymentRequest
    def __init__(self, merchant_id: _Optional[str] = ..., payment: _Optional[_Union[_payment_pb2.CreatePaymentRequest, _Mapping]] = ...) -> None: ...

class EvaluateRiskResponse(_message.Message):
    __slots__ = ["evaluation"]
    EVALUATION_FIELD_NUMBER: _ClassVar[int]
    evaluation: _payment_pb2.RiskEvaluation
    def __init__(self, evaluation: _Optional[_Union[_payment_pb2.RiskEvaluation, _Mapping]] = ...) -> None: ...

class ListApiKeysRequest(_message.Message):
    __slots__ = ["merchant_id"]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    def __init__(self, merchant_id: _Optional[str] = ...) -> None: ...

class ListApiKeysResponse(_message.Message):
    __slots__ = ["api_keys"]
    API_KEYS_FIELD_NUMBER: _ClassVar[int]
    api_keys: _containers.RepeatedCompositeFieldContainer[ApiKey]
    def __init__(self, api_keys: _Optional[_Iterable[_Union[ApiKey, _Mapping]]] = ...) -> None: ...

class ListChannelsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListChannelsResponse(_message.Message):
    __slots__ = ["channels"]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[Channel]
    def __init__(self, channels: _Optional[_Iterable[_Union[Channel, _Mapping]]] = ...) -> None: ...

class ListMerchantsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListMerchantsResponse(_message.Message):
    __slots__ = ["merchants"]
    MERCHANTS_FIELD_NUMBER: _ClassVar[int]
    merchants: _containers.RepeatedCompositeFieldContainer[Merchant]
    def __init__(self, merchants: _Optional[_Iterable[_Union[Merchant, _Mapping]]] = ...) -> None: ...

class ListReviewsRequest(_message.Message):
    __slots__ = ["merchant_id", "page_size", "page_token"]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    page_size: int
    page_token: str
    def __init__(self, merchant_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReviewsResponse(_message.Message):
    __slots__ = ["next_page_token", "payments"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    payments: _containers.RepeatedCompositeFieldContainer[_payment_pb2.Payment]
    def __init__(self, payments: _Optional[_Iterable[_Union[_payment_pb2.Payment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListRiskAuditRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRiskAuditResponse(_message.Message):
    __slots__ = ["next_page_token", "records"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    records: _containers.RepeatedCompositeFieldContainer[RiskAuditRecord]
    def __init__(self, records: _Optional[_Iterable[_Union[RiskAuditRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListRiskListEntriesRequest(_message.Message):
    __slots__ = ["list_id", "page_size", "page_token"]
    LIST_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    list_id: str
    page_size: int
    page_token: str
    def __init__(self, list_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRiskListEntriesResponse(_message.Message):
    __slots__ = ["entries", "next_page_token"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedScalarFieldContainer[str]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[str]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListRiskListsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListRiskListsResponse(_message.Message):
    __slots__ = ["lists"]
    LISTS_FIELD_NUMBER: _ClassVar[int]
    lists: _containers.RepeatedCompositeFieldContainer[RiskList]
    def __init__(self, lists: _Optional[_Iterable[_Union[RiskList, _Mapping]]] = ...) -> None: ...

class ListRiskRulesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListRiskRulesResponse(_message.Message):
    __slots__ = ["rules"]
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[RiskRule]
    def __init__(self, rules: _Optional[_Iterable[_Union[RiskRule, _Mapping]]] = ...) -> None: ...

class Merchant(_message.Message):
    __slots__ = ["client_names", "created_at", "id", "name", "webhook_disabled", "webhook_url"]
    CLIENT_NAMES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_DISABLED_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    client_names: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    id: str
    name: str
    webhook_disabled: bool
    webhook_url: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., webhook_url: _Optional[str] = ..., webhook_disabled: bool = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., client_names: _Optional[_Iterable[str]] = ...) -> None: ...

class PutRiskRuleRequest(_message.Message):
    __slots__ = ["actor", "rule"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    actor: str
    rule: RiskRule
    def __init__(self, rule: _Optional[_Union[RiskRule, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...

class PutRiskRuleResponse(_message.Message):
    __slots__ = ["rule"]
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: RiskRule
    def __init__(self, rule: _Optional[_Union[RiskRule, _Mapping]] = ...) -> None: ...

class RejectReviewRequest(_message.Message):
    __slots__ = ["note", "payment_id", "reviewer"]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    note: str
    payment_id: str
    reviewer: str
    def __init__(self, payment_id: _Optional[str] = ..., reviewer: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RejectReviewResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ...) -> None: ...

class RemoveRiskListEntriesRequest(_message.Message):
    __slots__ = ["actor", "entries", "list_id"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    LIST_ID_FIELD_NUMBER: _ClassVar[int]
    actor: str
    entries: _containers.RepeatedScalarFieldContainer[str]
    list_id: str
    def __init__(self, list_id: _Optional[str] = ..., entries: _Optional[_Iterable[str]] = ..., actor: _Optional[str] = ...) -> None: ...

class RemoveRiskListEntriesResponse(_message.Message):
    __slots__ = ["list", "removed"]
    LIST_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    list: RiskList
    removed: int
    def __init__(self, list: _Optional[_Union[RiskList, _Mapping]] = ..., removed: _Optional[int] = ...) -> None: ...

class RevokeApiKeyRequest(_message.Message):
    __slots__ = ["api_key_id", "merchant_id"]
    API_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    api_key_id: str
    merchant_id: str
    def __init__(self, merchant_id: _Optional[str] = ..., api_key_id: _Optional[str] = ...) -> None: ...

class RevokeApiKeyResponse(_message.Message):
    __slots__ = ["api_key"]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    api_key: ApiKey
    def __init__(self, api_key: _Optional[_Union[ApiKey, _Mapping]] = ...) -> None: ...

class RiskAuditRecord(_message.Message):
    __slots__ = ["action", "actor", "after", "at", "before", "seq", "target"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor: str
    after: str
    at: _timestamp_pb2.Timestamp
    before: str
    seq: int
    target: str
    def __init__(self, seq: _Optional[int] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., action: _Optional[str] = ..., target: _Optional[str] = ..., before: _Optional[str] = ..., after: _Optional[str] = ...) -> None: ...

class RiskCondition(_message.Message):
    __slots__ = ["counter", "fact", "hold_secs", "list_id", "number", "op", "per", "text", "values", "window_secs"]
    COUNTER_FIELD_NUMBER: _ClassVar[int]
    FACT_FIELD_NUMBER: _ClassVar[int]
    HOLD_SECS_FIELD_NUMBER: _ClassVar[int]
    LIST_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    PER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    WINDOW_SECS_FIELD_NUMBER: _ClassVar[int]
    counter: str
    fact: str
    hold_secs: int
    list_id: str
    number: int
    op: str
    per: str
    text: str
    values: _containers.RepeatedScalarFieldContainer[str]
    window_secs: int
    def __init__(self, fact: _Optional[str] = ..., counter: _Optional[str] = ..., per: _Optional[str] = ..., window_secs: _Optional[int] = ..., hold_secs: _Optional[int] = ..., op: _Optional[str] = ..., number: _Optional[int] = ..., text: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ..., list_id: _Optional[str] = ...) -> None: ...

class RiskList(_message.Message):
    __slots__ = ["entry_count", "id", "kind", "source"]
    ENTRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    entry_count: int
    id: str
    kind: str
    source: RiskSource
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., source: _Optional[_Union[RiskSource, str]] = ..., entry_count: _Optional[int] = ...) -> None: ...

class RiskRule(_message.Message):
    __slots__ = ["action", "conditions", "disabled", "id", "merchant_ids", "mode", "reason", "source", "updated_at"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_IDS_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    action: _payment_pb2.RiskAction
    conditions: _containers.RepeatedCompositeFieldContainer[RiskCondition]
    disabled: bool
    id: str
    merchant_ids: _containers.RepeatedScalarFieldContainer[str]
    mode: _payment_pb2.RiskRuleMode
    reason: str
    source: RiskSource
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., merchant_ids: _Optional[_Iterable[str]] = ..., conditions: _Optional[_Iterable[_Union[RiskCondition, _Mapping]]] = ..., action: _Optional[_Union[_payment_pb2.RiskAction, str]] = ..., reason: _Optional[str] = ..., mode: _Optional[_Union[_payment_pb2.RiskRuleMode, str]] = ..., disabled: bool = ..., source: _Optional[_Union[RiskSource, str]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RotateWebhookSecretRequest(_message.Message):
    __slots__ = ["grace", "merchant_id"]
    GRACE_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    grace: _duration_pb2.Duration
    merchant_id: str
    def __init__(self, merchant_id: _Optional[str] = ..., grace: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class RotateWebhookSecretResponse(_message.Message):
    __slots__ = ["previous_secret_expires_at", "webhook_secret"]
    PREVIOUS_SECRET_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_SECRET_FIELD_NUMBER: _ClassVar[int]
    previous_secret_expires_at: _timestamp_pb2.Timestamp
    webhook_secret: str
    def __init__(self, webhook_secret: _Optional[str] = ..., previous_secret_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetChannelEnabledRequest(_message.Message):
    __slots__ = ["channel_id", "enabled"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    enabled: bool
    def __init__(self, channel_id: _Optional[str] = ..., enabled: bool = ...) -> None: ...

class SetChannelEnabledResponse(_message.Message):
    __slots__ = ["channel"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: Channel
    def __init__(self, channel: _Optional[_Union[Channel, _Mapping]] = ...) -> None: ...

class SetChannelFaultsRequest(_message.Message):
    __slots__ = ["channel_id", "faults"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    FAULTS_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    faults: ChannelFaults
    def __init__(self, channel_id: _Optional[str] = ..., faults: _Optional[_Union[ChannelFaults, _Mapping]] = ...) -> None: ...

class SetChannelFaultsResponse(_message.Message):
    __slots__ = ["channel"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: Channel
    def __init__(self, channel: _Optional[_Union[Channel, _Mapping]] = ...) -> None: ...

class SetClientNamesRequest(_message.Message):
    __slots__ = ["client_names", "merchant_id"]
    CLIENT_NAMES_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    client_names: _containers.RepeatedScalarFieldContainer[str]
    merchant_id: str
    def __init__(self, merchant_id: _Optional[str] = ..., client_names: _Optional[_Iterable[str]] = ...) -> None: ...

class SetClientNamesResponse(_message.Message):
    __slots__ = ["merchant"]
    MERCHANT_FIELD_NUMBER: _ClassVar[int]
    merchant: Merchant
    def __init__(self, merchant: _Optional[_Union[Merchant, _Mapping]] = ...) -> None: ...

class SetRiskRuleEnabledRequest(_message.Message):
    __slots__ = ["actor", "enabled", "rule_id"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    actor: str
    enabled: bool
    rule_id: str
    def __init__(self, rule_id: _Optional[str] = ..., enabled: bool = ..., actor: _Optional[str] = ...) -> None: ...

class SetRiskRuleEnabledResponse(_message.Message):
    __slots__ = ["rule"]
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: RiskRule
    def __init__(self, rule: _Optional[_Union[RiskRule, _Mapping]] = ...) -> None: ...

class SetWebhookUrlRequest(_message.Message):
    __slots__ = ["merchant_id", "webhook_url"]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    webhook_url: str
    def __init__(self, merchant_id: _Optional[str] = ..., webhook_url: _Optional[str] = ...) -> None: ...

class SetWebhookUrlResponse(_message.Message):
    __slots__ = ["merchant"]
    MERCHANT_FIELD_NUMBER: _ClassVar[int]
    merchant: Merchant
    def __init__(self, merchant: _Optional[_Union[Merchant, _Mapping]] = ...) -> None: ...

class BreakerState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class FaultMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RiskSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

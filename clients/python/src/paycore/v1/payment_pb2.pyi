from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from paycore.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ATTEMPT_OUTCOME_ACCEPTED: AttemptOutcome
ATTEMPT_OUTCOME_AMBIGUOUS: AttemptOutcome
ATTEMPT_OUTCOME_DECLINED: AttemptOutcome
ATTEMPT_OUTCOME_IN_FLIGHT: AttemptOutcome
ATTEMPT_OUTCOME_NOT_PROCESSED: AttemptOutcome
ATTEMPT_OUTCOME_SKIPPED: AttemptOutcome
ATTEMPT_OUTCOME_UNSPECIFIED: AttemptOutcome
DESCRIPTOR: _descriptor.FileDescriptor
PAYMENT_METHOD_APP: PaymentMethod
PAYMENT_METHOD_CARD: PaymentMethod
PAYMENT_METHOD_H5: PaymentMethod
PAYMENT_METHOD_JSAPI: PaymentMethod
PAYMENT_METHOD_QR_CODE: PaymentMethod
PAYMENT_METHOD_UNSPECIFIED: PaymentMethod
PAYMENT_METHOD_WEB_PAGE: PaymentMethod
PAYMENT_STATUS_CLOSED: PaymentStatus
PAYMENT_STATUS_FAILED: PaymentStatus
PAYMENT_STATUS_PENDING: PaymentStatus
PAYMENT_STATUS_REQUIRES_REVIEW: PaymentStatus
PAYMENT_STATUS_SUCCEEDED: PaymentStatus
PAYMENT_STATUS_UNKNOWN: PaymentStatus
PAYMENT_STATUS_UNSPECIFIED: PaymentStatus
RISK_ACTION_ALLOW: RiskAction
RISK_ACTION_BLOCK: RiskAction
RISK_ACTION_REVIEW: RiskAction
RISK_ACTION_UNSPECIFIED: RiskAction
RISK_RULE_MODE_ENFORCE: RiskRuleMode
RISK_RULE_MODE_SHADOW: RiskRuleMode
RISK_RULE_MODE_UNSPECIFIED: RiskRuleMode

class Attempt(_message.Message):
    __slots__ = ["channel_id", "error_code", "error_message", "id", "latency", "outcome", "started_at"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LATENCY_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    error_code: str
    error_message: str
    id: str
    latency: _duration_pb2.Duration
    outcome: AttemptOutcome
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., channel_id: _Optional[str] = ..., outcome: _Optional[_Union[AttemptOutcome, str]] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., latency: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClosePaymentRequest(_message.Message):
    __slots__ = ["id", "merchant_order_id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    merchant_order_id: str
    def __init__(self, id: _Optional[str] = ..., merchant_order_id: _Optional[str] = ...) -> None: ...

class ClosePaymentResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class CreatePaymentRequest(_message.Message):
    __slots__ = ["amount", "description", "excluded_channel_ids", "expires_in", "merchant_order_id", "metadata", "method", "payer", "preferred_channel_id", "return_url", "routing_tag"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXCLUDED_CHANNEL_IDS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    PAYER_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    RETURN_URL_FIELD_NUMBER: _ClassVar[int]
    ROUTING_TAG_FIELD_NUMBER: _ClassVar[int]
    amount: _common_pb2.Money
    description: str
    excluded_channel_ids: _containers.RepeatedScalarFieldContainer[str]
    expires_in: _duration_pb2.Duration
    merchant_order_id: str
    metadata: _containers.ScalarMap[str, str]
    method: PaymentMethod
    payer: Payer
    preferred_channel_id: str
    return_url: str
    routing_tag: str
    def __init__(self, merchant_order_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., description: _Optional[str] = ..., method: _Optional[_Union[PaymentMethod, str]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., expires_in: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., payer: _Optional[_Union[Payer, _Mapping]] = ..., return_url: _Optional[str] = ..., routing_tag: _Optional[str] = ..., preferred_channel_id: _Optional[str] = ..., excluded_channel_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CreatePaymentResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class GetPaymentRequest(_message.Message):
    __slots__ = ["id", "merchant_order_id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    merchant_order_id: str
    def __init__(self, id: _Optional[str] = ..., merchant_order_id: _Optional[str] = ...) -> None: ...

class GetPaymentResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class InvocationParameters(_message.Message):
    __slots__ = ["parameters"]
    class ParametersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    parameters: _containers.ScalarMap[str, str]
    def __init__(self, parameters: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ListPaymentsRequest(_message.Message):
    __slots__ = ["created_after", "created_before", "page_size", "page_token", "status"]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    status: PaymentStatus
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[PaymentStatus, str]] = ..., created_after: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListPaymentsResponse(_message.Message):
    __slots__ = ["next_page_token", "payments"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    payments: _containers.RepeatedCompositeFieldContainer[Payment]
    def __init__(self, payments: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class NextAction(_message.Message):
    __slots__ = ["app_invocation", "jsapi_invocation", "qr_code_content", "redirect_url"]
    APP_INVOCATION_FIELD_NUMBER: _ClassVar[int]
    JSAPI_INVOCATION_FIELD_NUMBER: _ClassVar[int]
    QR_CODE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_URL_FIELD_NUMBER: _ClassVar[int]
    app_invocation: InvocationParameters
    jsapi_invocation: InvocationParameters
    qr_code_content: str
    redirect_url: str
    def __init__(self, qr_code_content: _Optional[str] = ..., redirect_url: _Optional[str] = ..., app_invocation: _Optional[_Union[InvocationParameters, _Mapping]] = ..., jsapi_invocation: _Optional[_Union[InvocationParameters, _Mapping]] = ...) -> None: ...

class PaidAfterClose(_message.Message):
    __slots__ = ["paid_at", "provider_transaction_id"]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    paid_at: _timestamp_pb2.Timestamp
    provider_transaction_id: str
    def __init__(self, provider_transaction_id: _Optional[str] = ..., paid_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Payer(_message.Message):
    __slots__ = ["buyer_id", "client_ip", "device_id", "payment_method"]
    BUYER_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    buyer_id: str
    client_ip: str
    device_id: str
    payment_method: str
    def __init__(self, buyer_id: _Optional[str] = ..., client_ip: _Optional[str] = ..., payment_method: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ["amount", "attempts", "channel_id", "created_at", "description", "expires_at", "failure", "id", "merchant_order_id", "metadata", "method", "next_action", "paid_after_close", "paid_at", "provider_transaction_id", "refunded_amount", "risk", "status", "updated_at"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    NEXT_ACTION_FIELD_NUMBER: _ClassVar[int]
    PAID_AFTER_CLOSE_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RISK_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    amount: _common_pb2.Money
    attempts: _containers.RepeatedCompositeFieldContainer[Attempt]
    channel_id: str
    created_at: _timestamp_pb2.Timestamp
    description: str
    expires_at: _timestamp_pb2.Timestamp
    failure: _common_pb2.Failure
    id: str
    merchant_order_id: str
    metadata: _containers.ScalarMap[str, str]
    method: PaymentMethod
    next_action: NextAction
    paid_after_close: PaidAfterClose
    paid_at: _timestamp_pb2.Timestamp
    provider_transaction_id: str
    refunded_amount: _common_pb2.Money
    risk: RiskEvaluation
    status: PaymentStatus
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., merchant_order_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., description: _Optional[str] = ..., method: _Optional[_Union[PaymentMethod, str]] = ..., status: _Optional[_Union[PaymentStatus, str]] = ..., channel_id: _Optional[str] = ..., provider_transaction_id: _Optional[str] = ..., next_action: _Optional[_Union[NextAction, _Mapping]] = ..., refunded_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., failure: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., attempts: _Optional[_Iterable[_Union[Attempt, _Mapping]]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., paid_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., paid_after_close: _Optional[_Union[PaidAfterClose, _Mapping]] = ..., risk: _Optional[_Union[RiskEvaluation, _Mapping]] = ...) -> None: ...

class RiskEvaluation(_message.Message):
    __slots__ = ["decided_by", "decision", "matches", "review"]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    decided_by: RiskRuleMatch
    decision: RiskAction
    matches: _containers.RepeatedCompositeFieldContainer[RiskRuleMatch]
    review: RiskReview
    def __init__(self, decision: _Optional[_Union[RiskAction, str]] = ..., decided_by: _Optional[_Union[RiskRuleMatch, _Mapping]] = ..., matches: _Optional[_Iterable[_Union[RiskRuleMatch, _Mapping]]] = ..., review: _Optional[_Union[RiskReview, _Mapping]] = ...) -> None: ...

class RiskReview(_message.Message):
    __slots__ = ["approved", "note", "reviewed_at", "reviewer"]
    APPROVED_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    approved: bool
    note: str
    reviewed_at: _timestamp_pb2.Timestamp
    reviewer: str
    def __init__(self, approved: bool = ..., reviewer: _Optional[str] = ..., reviewed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class RiskRuleMatch(_message.Message):
    __slots__ = ["action", "mode", "reason", "rule_id"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    action: RiskAction
    mode: RiskRuleMode
    reason: str
    rule_id: str
    def __init__(self, rule_id: _Optional[str] = ..., action: _Optional[_Union[RiskAction, str]] = ..., mode: _Optional[_Union[RiskRuleMode, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class SyncPaymentRequest(_message.Message):
    __slots__ = ["id", "merchant_order_id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    merchant_order_id: str
    def __init__(self, id: _Optional[str] = ..., merchant_order_id: _Optional[str] = ...) -> None: ...

class SyncPaymentResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class PaymentMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PaymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AttemptOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RiskAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RiskRuleMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

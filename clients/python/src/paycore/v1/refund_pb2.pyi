from google.protobuf import timestamp_pb2 as _timestamp_pb2
from paycore.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
REFUND_STATUS_FAILED: RefundStatus
REFUND_STATUS_PENDING: RefundStatus
REFUND_STATUS_REQUIRES_ATTENTION: RefundStatus
REFUND_STATUS_SUCCEEDED: RefundStatus
REFUND_STATUS_UNSPECIFIED: RefundStatus

class CreateRefundRequest(_message.Message):
    __slots__ = ["amount", "merchant_order_id", "merchant_refund_id", "payment_id", "reason"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_REFUND_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    amount: _common_pb2.Money
    merchant_order_id: str
    merchant_refund_id: str
    payment_id: str
    reason: str
    def __init__(self, payment_id: _Optional[str] = ..., merchant_order_id: _Optional[str] = ..., merchant_refund_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class CreateRefundResponse(_message.Message):
    __slots__ = ["refund"]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    refund: Refund
    def __init__(self, refund: _Optional[_Union[Refund, _Mapping]] = ...) -> None: ...

class GetRefundRequest(_message.Message):
    __slots__ = ["id", "merchant_refund_id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_REFUND_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    merchant_refund_id: str
    def __init__(self, id: _Optional[str] = ..., merchant_refund_id: _Optional[str] = ...) -> None: ...

class GetRefundResponse(_message.Message):
    __slots__ = ["refund"]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    refund: Refund
    def __init__(self, refund: _Optional[_Union[Refund, _Mapping]] = ...) -> None: ...

class ListRefundsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "payment_id"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    payment_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., payment_id: _Optional[str] = ...) -> None: ...

class ListRefundsResponse(_message.Message):
    __slots__ = ["next_page_token", "refunds"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REFUNDS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    refunds: _containers.RepeatedCompositeFieldContainer[Refund]
    def __init__(self, refunds: _Optional[_Iterable[_Union[Refund, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Refund(_message.Message):
    __slots__ = ["amount", "channel_id", "created_at", "failure", "id", "merchant_refund_id", "payment_id", "provider_refund_id", "reason", "status", "succeeded_at", "updated_at"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_REFUND_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_REFUND_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUCCEEDED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    amount: _common_pb2.Money
    channel_id: str
    created_at: _timestamp_pb2.Timestamp
    failure: _common_pb2.Failure
    id: str
    merchant_refund_id: str
    payment_id: str
    provider_refund_id: str
    reason: str
    status: RefundStatus
    succeeded_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., payment_id: _Optional[str] = ..., merchant_refund_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., status: _Optional[_Union[RefundStatus, str]] = ..., channel_id: _Optional[str] = ..., provider_refund_id: _Optional[str] = ..., failure: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., succeeded_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RefundStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

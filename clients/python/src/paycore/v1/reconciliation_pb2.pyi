from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
DIFFERENCE_KIND_AMOUNT_MISMATCH: DifferenceKind
DIFFERENCE_KIND_CURRENCY_MISMATCH: DifferenceKind
DIFFERENCE_KIND_DUPLICATE: DifferenceKind
DIFFERENCE_KIND_MISSING_AT_PROVIDER: DifferenceKind
DIFFERENCE_KIND_MISSING_IN_PAYCORE: DifferenceKind
DIFFERENCE_KIND_NOT_SUCCEEDED_IN_PAYCORE: DifferenceKind
DIFFERENCE_KIND_STATUS_MISMATCH: DifferenceKind
DIFFERENCE_KIND_UNSPECIFIED: DifferenceKind
DIFFERENCE_STATUS_CARRIED: DifferenceStatus
DIFFERENCE_STATUS_CLEARED: DifferenceStatus
DIFFERENCE_STATUS_OPEN: DifferenceStatus
DIFFERENCE_STATUS_RESOLVED: DifferenceStatus
DIFFERENCE_STATUS_UNSPECIFIED: DifferenceStatus
RUN_STATUS_COMPLETED: RunStatus
RUN_STATUS_FAILED: RunStatus
RUN_STATUS_RUNNING: RunStatus
RUN_STATUS_UNSPECIFIED: RunStatus

class Difference(_message.Message):
    __slots__ = ["channel_id", "created_at", "currency", "day", "detail", "fee_minor", "id", "item", "kind", "line", "paycore_amount_minor", "payment_id", "provider_amount_minor", "refund_id", "resolution", "resolved_at", "resolved_by", "run_id", "status", "transaction_id", "updated_at"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    FEE_MINOR_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    PAYCORE_AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    REFUND_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    created_at: _timestamp_pb2.Timestamp
    currency: str
    day: str
    detail: str
    fee_minor: int
    id: str
    item: str
    kind: DifferenceKind
    line: int
    paycore_amount_minor: int
    payment_id: str
    provider_amount_minor: int
    refund_id: str
    resolution: str
    resolved_at: _timestamp_pb2.Timestamp
    resolved_by: str
    run_id: str
    status: DifferenceStatus
    transaction_id: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., channel_id: _Optional[str] = ..., day: _Optional[str] = ..., kind: _Optional[_Union[DifferenceKind, str]] = ..., item: _Optional[str] = ..., run_id: _Optional[str] = ..., status: _Optional[_Union[DifferenceStatus, str]] = ..., payment_id: _Optional[str] = ..., refund_id: _Optional[str] = ..., transaction_id: _Optional[str] = ..., currency: _Optional[str] = ..., paycore_amount_minor: _Optional[int] = ..., provider_amount_minor: _Optional[int] = ..., fee_minor: _Optional[int] = ..., line: _Optional[int] = ..., detail: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_by: _Optional[str] = ..., resolved_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., resolution: _Optional[str] = ...) -> None: ...

class GetRunRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetRunResponse(_message.Message):
    __slots__ = ["run"]
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: Run
    def __init__(self, run: _Optional[_Union[Run, _Mapping]] = ...) -> None: ...

class ListDifferencesRequest(_message.Message):
    __slots__ = ["channel_id", "day", "kinds", "page_size", "page_token", "statuses"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    day: str
    kinds: _containers.RepeatedScalarFieldContainer[DifferenceKind]
    page_size: int
    page_token: str
    statuses: _containers.RepeatedScalarFieldContainer[DifferenceStatus]
    def __init__(self, channel_id: _Optional[str] = ..., day: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[DifferenceStatus, str]]] = ..., kinds: _Optional[_Iterable[_Union[DifferenceKind, str]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDifferencesResponse(_message.Message):
    __slots__ = ["differences", "next_page_token"]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    differences: _containers.RepeatedCompositeFieldContainer[Difference]
    next_page_token: str
    def __init__(self, differences: _Optional[_Iterable[_Union[Difference, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListRunsRequest(_message.Message):
    __slots__ = ["channel_id", "day", "page_size", "page_token"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    day: str
    page_size: int
    page_token: str
    def __init__(self, channel_id: _Optional[str] = ..., day: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRunsResponse(_message.Message):
    __slots__ = ["next_page_token", "runs"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    runs: _containers.RepeatedCompositeFieldContainer[Run]
    def __init__(self, runs: _Optional[_Iterable[_Union[Run, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ResolveDifferenceRequest(_message.Message):
    __slots__ = ["id", "note", "resolved_by"]
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    resolved_by: str
    def __init__(self, id: _Optional[str] = ..., resolved_by: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ResolveDifferenceResponse(_message.Message):
    __slots__ = ["difference"]
    DIFFERENCE_FIELD_NUMBER: _ClassVar[int]
    difference: Difference
    def __init__(self, difference: _Optional[_Union[Difference, _Mapping]] = ...) -> None: ...

class Run(_message.Message):
    __slots__ = ["channel_id", "day", "error_code", "error_message", "finished_at", "id", "started_at", "status", "summary", "trigger"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    day: str
    error_code: str
    error_message: str
    finished_at: _timestamp_pb2.Timestamp
    id: str
    started_at: _timestamp_pb2.Timestamp
    status: RunStatus
    summary: RunSummary
    trigger: str
    def __init__(self, id: _Optional[str] = ..., channel_id: _Optional[str] = ..., day: _Optional[str] = ..., trigger: _Optional[str] = ..., status: _Optional[_Union[RunStatus, str]] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., summary: _Optional[_Union[RunSummary, _Mapping]] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunReconciliationRequest(_message.Message):
    __slots__ = ["channel_id", "day"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    day: str
    def __init__(self, channel_id: _Optional[str] = ..., day: _Optional[str] = ...) -> None: ...

class RunReconciliationResponse(_message.Message):
    __slots__ = ["run"]
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: Run
    def __init__(self, run: _Optional[_Union[Run, _Mapping]] = ...) -> None: ...

class RunSummary(_message.Message):
    __slots__ = ["carried", "differences", "fee_minor", "healed", "ignored", "lines", "matched", "net_minor", "payment_minor", "payments", "pending", "provider_totals", "refund_minor", "refunds"]
    CARRIED_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    FEE_MINOR_FIELD_NUMBER: _ClassVar[int]
    HEALED_FIELD_NUMBER: _ClassVar[int]
    IGNORED_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    MATCHED_FIELD_NUMBER: _ClassVar[int]
    NET_MINOR_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_MINOR_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_TOTALS_FIELD_NUMBER: _ClassVar[int]
    REFUNDS_FIELD_NUMBER: _ClassVar[int]
    REFUND_MINOR_FIELD_NUMBER: _ClassVar[int]
    carried: int
    differences: int
    fee_minor: int
    healed: int
    ignored: int
    lines: int
    matched: int
    net_minor: int
    payment_minor: int
    payments: int
    pending: int
    provider_totals: StatementTotals
    refund_minor: int
    refunds: int
    def __init__(self, lines: _Optional[int] = ..., matched: _Optional[int] = ..., ignored: _Optional[int] = ..., pending: _Optional[int] = ..., payments: _Optional[int] = ..., payment_minor: _Optional[int] = ..., refunds: _Optional[int] = ..., refund_minor: _Optional[int] = ..., fee_minor: _Optional[int] = ..., net_minor: _Optional[int] = ..., carried: _Optional[int] = ..., differences: _Optional[int] = ..., healed: _Optional[int] = ..., provider_totals: _Optional[_Union[StatementTotals, _Mapping]] = ...) -> None: ...

class StatementTotals(_message.Message):
    __slots__ = ["fee_minor", "payment_minor", "payments", "refund_minor", "refunds"]
    FEE_MINOR_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_MINOR_FIELD_NUMBER: _ClassVar[int]
    REFUNDS_FIELD_NUMBER: _ClassVar[int]
    REFUND_MINOR_FIELD_NUMBER: _ClassVar[int]
    fee_minor: int
    payment_minor: int
    payments: int
    refund_minor: int
    refunds: int
    def __init__(self, payments: _Optional[int] = ..., payment_minor: _Optional[int] = ..., refunds: _Optional[int] = ..., refund_minor: _Optional[int] = ..., fee_minor: _Optional[int] = ...) -> None: ...

class RunStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DifferenceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DifferenceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

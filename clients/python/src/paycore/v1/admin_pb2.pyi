import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from paycore.v1 import payment_pb2 as _payment_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BreakerState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BREAKER_STATE_UNSPECIFIED: _ClassVar[BreakerState]
    BREAKER_STATE_CLOSED: _ClassVar[BreakerState]
    BREAKER_STATE_OPEN: _ClassVar[BreakerState]
    BREAKER_STATE_HALF_OPEN: _ClassVar[BreakerState]

class FaultMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FAULT_MODE_UNSPECIFIED: _ClassVar[FaultMode]
    FAULT_MODE_UNAVAILABLE: _ClassVar[FaultMode]
    FAULT_MODE_TIMEOUT: _ClassVar[FaultMode]
    FAULT_MODE_DECLINE: _ClassVar[FaultMode]
BREAKER_STATE_UNSPECIFIED: BreakerState
BREAKER_STATE_CLOSED: BreakerState
BREAKER_STATE_OPEN: BreakerState
BREAKER_STATE_HALF_OPEN: BreakerState
FAULT_MODE_UNSPECIFIED: FaultMode
FAULT_MODE_UNAVAILABLE: FaultMode
FAULT_MODE_TIMEOUT: FaultMode
FAULT_MODE_DECLINE: FaultMode

class Channel(_message.Message):
    __slots__ = ("id", "provider", "enabled", "methods", "currencies", "priority", "weight", "breaker_state", "success_rate", "latency_p50", "latency_p99", "in_flight", "limiter_headroom", "last_error", "faults")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    CURRENCIES_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    BREAKER_STATE_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_RATE_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P50_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P99_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    LIMITER_HEADROOM_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    FAULTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    provider: str
    enabled: bool
    methods: _containers.RepeatedScalarFieldContainer[_payment_pb2.PaymentMethod]
    currencies: _containers.RepeatedScalarFieldContainer[str]
    priority: int
    weight: int
    breaker_state: BreakerState
    success_rate: float
    latency_p50: _duration_pb2.Duration
    latency_p99: _duration_pb2.Duration
    in_flight: int
    limiter_headroom: int
    last_error: str
    faults: ChannelFaults
    def __init__(self, id: _Optional[str] = ..., provider: _Optional[str] = ..., enabled: _Optional[bool] = ..., methods: _Optional[_Iterable[_Union[_payment_pb2.PaymentMethod, str]]] = ..., currencies: _Optional[_Iterable[str]] = ..., priority: _Optional[int] = ..., weight: _Optional[int] = ..., breaker_state: _Optional[_Union[BreakerState, str]] = ..., success_rate: _Optional[float] = ..., latency_p50: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., latency_p99: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., in_flight: _Optional[int] = ..., limiter_headroom: _Optional[int] = ..., last_error: _Optional[str] = ..., faults: _Optional[_Union[ChannelFaults, _Mapping]] = ...) -> None: ...

class ChannelFaults(_message.Message):
    __slots__ = ("failure_rate", "added_latency", "mode")
    FAILURE_RATE_FIELD_NUMBER: _ClassVar[int]
    ADDED_LATENCY_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    failure_rate: float
    added_latency: _duration_pb2.Duration
    mode: FaultMode
    def __init__(self, failure_rate: _Optional[float] = ..., added_latency: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., mode: _Optional[_Union[FaultMode, str]] = ...) -> None: ...

class ListChannelsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListChannelsResponse(_message.Message):
    __slots__ = ("channels",)
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[Channel]
    def __init__(self, channels: _Optional[_Iterable[_Union[Channel, _Mapping]]] = ...) -> None: ...

class SetChannelEnabledRequest(_message.Message):
    __slots__ = ("channel_id", "enabled")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    enabled: bool
    def __init__(self, channel_id: _Optional[str] = ..., enabled: _Optional[bool] = ...) -> None: ...

class SetChannelEnabledResponse(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: Channel
    def __init__(self, channel: _Optional[_Union[Channel, _Mapping]] = ...) -> None: ...

class SetChannelFaultsRequest(_message.Message):
    __slots__ = ("channel_id", "faults")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    FAULTS_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    faults: ChannelFaults
    def __init__(self, channel_id: _Optional[str] = ..., faults: _Optional[_Union[ChannelFaults, _Mapping]] = ...) -> None: ...

class SetChannelFaultsResponse(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: Channel
    def __init__(self, channel: _Optional[_Union[Channel, _Mapping]] = ...) -> None: ...

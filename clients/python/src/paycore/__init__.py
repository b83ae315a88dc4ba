"""Client for paycore's gRPC API.

The messages and stubs generated from paycore's proto files are in ``paycore.v1``
(``payment_pb2``, ``payment_pb2_grpc`` and so on). This module adds ``connect``, which opens
one channel that sends the API key with every call, and helpers that read the reason and the
bad fields out of paycore's errors, and ``tls_credentials`` for TLS and mutual TLS.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import grpc
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from paycore.v1 import (
    admin_pb2_grpc,
    notify_pb2_grpc,
    payment_pb2_grpc,
    reconciliation_pb2_grpc,
    refund_pb2_grpc,
)

__all__ = [
    "ERROR_DOMAIN",
    "APIKeyInterceptor",
    "Client",
    "connect",
    "error_info",
    "field_violations",
    "reason",
    "rich_status",
    "tls_credentials",
]

ERROR_DOMAIN = "paycore"
"""The ErrorInfo domain of every error paycore returns."""


@dataclass(frozen=True)
class _CallDetails(grpc.ClientCallDetails):
    method: str
    timeout: float | None
    metadata: tuple[tuple[str, str | bytes], ...]
    credentials: grpc.CallCredentials | None
    wait_for_ready: bool | None
    compression: grpc.Compression | None


class APIKeyInterceptor(
    grpc.UnaryUnaryClientInterceptor,
    grpc.UnaryStreamClientInterceptor,
    grpc.StreamUnaryClientInterceptor,
    grpc.StreamStreamClientInterceptor,
):
    """Adds ``authorization: Bearer <api key>`` to every call on a channel.

    An interceptor rather than ``grpc.access_token_call_credentials`` because gRPC sends call
    credentials only over TLS, and paycore is often reached in plaintext on the same host.
    Use it with a channel of your own: ``grpc.intercept_channel(channel, APIKeyInterceptor(key))``.
    """

    def __init__(self, api_key: str) -> None:
        self._header = ("authorization", f"Bearer {api_key}")

    def _with_key(self, details: grpc.ClientCallDetails) -> grpc.ClientCallDetails:
        return _CallDetails(
            method=details.method,
            timeout=details.timeout,
            metadata=(*(details.metadata or ()), self._header),
            credentials=details.credentials,
            wait_for_ready=details.wait_for_ready,
            compression=details.compression,
        )

    def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.ClientCallDetails, Any], Any],
        client_call_details: grpc.ClientCallDetails,
        request: Any,
    ) -> Any:
        return continuation(self._with_key(client_call_details), request)

    def intercept_unary_stream(
        self,
        continuation: Callable[[grpc.ClientCallDetails, Any], Any],
        client_call_details: grpc.ClientCallDetails,
        request: Any,
    ) -> Any:
        return continuation(self._with_key(client_call_details), request)

    def intercept_stream_unary(
        self,
        continuation: Callable[[grpc.ClientCallDetails, Any], Any],
        client_call_details: grpc.ClientCallDetails,
        request_iterator: Any,
    ) -> Any:
        return continuation(self._with_key(client_call_details), request_iterator)

    def intercept_stream_stream(
        self,
        continuation: Callable[[grpc.ClientCallDetails, Any], Any],
        client_call_details: grpc.ClientCallDetails,
        request_iterator: Any,
    ) -> Any:
        return continuation(self._with_key(client_call_details), request_iterator)


class Client:
    """One channel to paycore and a stub for each service on it.

    Close it when done, or use it as a context manager.
    """

    payments: payment_pb2_grpc.PaymentServiceStub
    refunds: refund_pb2_grpc.RefundServiceStub
    notify: notify_pb2_grpc.NotifyServiceStub
    admin: admin_pb2_grpc.AdminServiceStub
    reconciliation: reconciliation_pb2_grpc.ReconciliationServiceStub

    def __init__(self, channel: grpc.Channel) -> None:
        self.channel = channel
        self.payments = payment_pb2_grpc.PaymentServiceStub(channel)
        self.refunds = refund_pb2_grpc.RefundServiceStub(channel)
        self.notify = notify_pb2_grpc.NotifyServiceStub(channel)
        self.admin = admin_pb2_grpc.AdminServiceStub(channel)
        self.reconciliation = reconciliation_pb2_grpc.ReconciliationServiceStub(channel)

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def connect(
    target: str,
    api_key: str,
    *,
    credentials: grpc.ChannelCredentials | None = None,
    options: Sequence[tuple[str, Any]] | None = None,
) -> Client:
    """Opens a channel to paycore at ``target`` ("host:port") that sends ``api_key`` with every call.

    Without ``credentials`` the channel is plaintext, for a paycore on the same host or behind a
    sidecar; across a network pass TLS credentials, e.g. ``tls_credentials(ca_file=...)``, or
    ``grpc.ssl_channel_credentials()`` for the default roots. ``options`` are gRPC channel
    arguments.
    """
    if credentials is None:
        channel = grpc.insecure_channel(target, options=options)
    else:
        channel = grpc.secure_channel(target, credentials, options=options)
    return Client(grpc.intercept_channel(channel, APIKeyInterceptor(api_key)))


def tls_credentials(
    ca_file: str | os.PathLike[str] | None = None,
    cert_file: str | os.PathLike[str] | None = None,
    key_file: str | os.PathLike[str] | None = None,
) -> grpc.ChannelCredentials:
    """TLS credentials for ``connect(..., credentials=...)`` from PEM files.

    ``ca_file`` holds the CA certificates that may sign the server's certificate (gRPC's
    default roots when None); the server's certificate must name the host of the target. For
    mutual TLS, ``cert_file`` and ``key_file`` are the client certificate (with its chain, leaf
    first) and its private key; give both or neither.
    """
    if (cert_file is None) != (key_file is None):
        raise ValueError("tls_credentials: give both cert_file and key_file, or neither")

    def read(path: str | os.PathLike[str] | None) -> bytes | None:
        if path is None:
            return None
        with open(path, "rb") as f:
            return f.read()

    return grpc.ssl_channel_credentials(
        root_certificates=read(ca_file),
        private_key=read(key_file),
        certificate_chain=read(cert_file),
    )


def rich_status(err: BaseException) -> status_pb2.Status | None:
    """The google.rpc.Status a failed call carried in its trailers, or None when it had none
    (for example when the connection failed before paycore answered)."""
    if not isinstance(err, grpc.Call):
        return None
    return rpc_status.from_call(err)


def error_info(err: BaseException) -> error_details_pb2.ErrorInfo | None:
    """The google.rpc.ErrorInfo that paycore attaches to every error, or None when ``err``
    did not come from paycore."""
    status = rich_status(err)
    if status is None:
        return None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info
    return None


def reason(err: BaseException) -> str | None:
    """The stable reason of a paycore error (e.g. "IDEMPOTENCY_CONFLICT"), or None when ``err``
    did not come from paycore."""
    info = error_info(err)
    if info is None or info.domain != ERROR_DOMAIN:
        return None
    return info.reason


def field_violations(err: BaseException) -> list[error_details_pb2.BadRequest.FieldViolation]:
    """The bad fields of an INVALID_ARGUMENT error: for each, the field path (e.g.
    "amount.amount_minor"), a stable reason and a description."""
    status = rich_status(err)
    if status is None:
        return []
    violations: list[error_details_pb2.BadRequest.FieldViolation] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations.extend(bad.field_violations)
    return violations

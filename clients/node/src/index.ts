export * from "./gen/paycore/v1/common";
export * from "./gen/paycore/v1/payment";
export * from "./gen/paycore/v1/refund";
export * from "./gen/paycore/v1/notify";
export * from "./gen/paycore/v1/admin";
export * from "./gen/paycore/v1/reconciliation";
export { Duration } from "./gen/google/protobuf/duration";
// Every generated module exports these per-file helpers under the same names; naming them
// once makes the star exports above unambiguous. The package-level values are common.proto's.
export {
  protobufPackage,
  protobufFileName,
  type DeepPartial,
  type Exact,
  type MessageFns,
} from "./gen/paycore/v1/common";

export {
  connect,
  tlsCredentials,
  unary,
  type ConnectOptions,
  type Paycore,
  type TlsFiles,
  type UnaryMethodName,
} from "./connect";
export { errorDetails, reason, type ErrorDetails, type ErrorInfo, type FieldViolation } from "./errors";
// Re-exported so callers need no direct dependency on grpc-js for everyday use.
export {
  credentials,
  Metadata,
  status,
  type CallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  type ClientReadableStream,
  type ServiceError,
} from "@grpc/grpc-js";

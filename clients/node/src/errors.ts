import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import type { ServiceError, status } from "@grpc/grpc-js";

/** google.rpc.ErrorInfo: why a call failed, as a stable machine-readable reason. */
export interface ErrorInfo {
  /** e.g. "INVALID_REQUEST", "IDEMPOTENCY_CONFLICT". */
  reason: string;
  /** "paycore" for paycore's own errors. */
  domain: string;
  metadata: Record<string, string>;
}

/** One entry of google.rpc.BadRequest: which request field was wrong and why. */
export interface FieldViolation {
  /** Path of the field, e.g. "amount.amount_minor". */
  field: string;
  description: string;
  /** e.g. "INVALID_AMOUNT". */
  reason: string;
}

export interface ErrorDetails {
  code: status;
  message: string;
  errorInfo?: ErrorInfo;
  fieldViolations: FieldViolation[];
}

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
const BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";
const utf8 = new TextDecoder();

/**
 * Reads the google.rpc.Status that paycore sends in the `grpc-status-details-bin` trailer
 * (grpc-js passes it through undecoded). Returns undefined for anything that is not a gRPC
 * error.
 */
export function errorDetails(err: unknown): ErrorDetails | undefined {
  if (!isServiceError(err)) {
    return undefined;
  }
  const details: ErrorDetails = { code: err.code, message: err.details, fieldViolations: [] };
  const [trailer] = err.metadata.get("grpc-status-details-bin");
  if (!(trailer instanceof Uint8Array)) {
    return details;
  }
  eachField(trailer, (field, value) => {
    if (field === 2) {
      details.message = utf8.decode(value);
    } else if (field === 3) {
      const any: { typeUrl: string; value: Uint8Array } = { typeUrl: "", value: new Uint8Array() };
      eachField(value, (f, v) => {
        if (f === 1) any.typeUrl = utf8.decode(v);
        else if (f === 2) any.value = v;
      });
      if (any.typeUrl === ERROR_INFO) {
        details.errorInfo = decodeErrorInfo(any.value);
      } else if (any.typeUrl === BAD_REQUEST) {
        eachField(any.value, (f, v) => {
          if (f === 1) details.fieldViolations.push(decodeFieldViolation(v));
        });
      }
    }
  });
  return details;
}

/** The ErrorInfo reason of a paycore error, e.g. "IDEMPOTENCY_CONFLICT"; undefined if none. */
export function reason(err: unknown): string | undefined {
  return errorDetails(err)?.errorInfo?.reason;
}

function isServiceError(err: unknown): err is ServiceError {
  // Duck-typed so errors from another copy of grpc-js are recognised too.
  const e = err as Partial<ServiceError> | null;
  return (
    err instanceof Error &&
    typeof e?.code === "number" &&
    typeof e.details === "string" &&
    typeof e.metadata?.get === "function"
  );
}

function decodeErrorInfo(bytes: Uint8Array): ErrorInfo {
  const info: ErrorInfo = { reason: "", domain: "", metadata: {} };
  eachField(bytes, (field, value) => {
    if (field === 1) {
      info.reason = utf8.decode(value);
    } else if (field === 2) {
      info.domain = utf8.decode(value);
    } else if (field === 3) {
      let key = "";
      let val = "";
      eachField(value, (f, v) => {
        if (f === 1) key = utf8.decode(v);
        else if (f === 2) val = utf8.decode(v);
      });
      info.metadata[key] = val;
    }
  });
  return info;
}

function decodeFieldViolation(bytes: Uint8Array): FieldViolation {
  const violation: FieldViolation = { field: "", description: "", reason: "" };
  eachField(bytes, (field, value) => {
    if (field === 1) violation.field = utf8.decode(value);
    else if (field === 2) violation.description = utf8.decode(value);
    else if (field === 3) violation.reason = utf8.decode(value);
  });
  return violation;
}

/**
 * Calls `visit` with each length-delimited field (strings, bytes, messages) of a protobuf
 * message and skips the others: every field read here is of that kind.
 */
function eachField(bytes: Uint8Array, visit: (field: number, value: Uint8Array) => void): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (wireType === WireType.LengthDelimited) {
      visit(field, reader.bytes());
    } else {
      reader.skip(wireType, field);
    }
  }
}

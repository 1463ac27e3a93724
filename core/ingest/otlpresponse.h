#pragma once

#include "otlprequest.h"

#include <QByteArray>
#include <QString>

#include <string>

namespace Sextant {

// The answers of the OTLP protocol, in its two encodings.

// Export*ServiceResponse: empty on full success; partial_success with the rejected count of the request's signal
// (rejected_spans / rejected_log_records / rejected_data_points) and a message otherwise.
std::string exportResponseProtobuf(OtlpSignal signal, int64_t rejected, const QString &message);
QByteArray exportResponseJson(OtlpSignal signal, int64_t rejected, const QString &message);

// google.rpc.Status, the body of OTLP/HTTP errors and the grpc-status-details-bin of gRPC errors. With a retry
// delay it carries a google.rpc.RetryInfo detail, which tells collectors how long to wait before retrying.
std::string rpcStatusProtobuf(int code, const QString &message, int retryDelaySeconds = 0);
QByteArray rpcStatusJson(int code, const QString &message);

// gRPC status codes used in Status bodies (google.rpc.Code).
enum RpcCode {
    RpcOk = 0,
    RpcInvalidArgument = 3,
    RpcNotFound = 5,
    RpcResourceExhausted = 8,
    RpcUnimplemented = 12,
    RpcUnavailable = 14,
    RpcUnauthenticated = 16,
};

} // namespace Sextant

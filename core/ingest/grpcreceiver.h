#pragma once

#include "ingestpipeline.h"
#include "receiverconfig.h"

#include <chrono>
#include <memory>

namespace grpc {
class Server;
}

namespace Sextant {

// OTLP/gRPC: TraceService, LogsService and MetricsService Export on one port. Uses gRPC's callback API with raw
// (undecoded) messages, so spans and logs are decoded straight from the wire into the model without building
// protobuf objects first. gzip message compression is handled by gRPC itself. Answers:
//  - OK, with partial_success when some records were invalid;
//  - UNAVAILABLE with a RetryInfo detail when the store's queue stayed full for ReceiverConfig::busyWaitMs
//    (the answer is held meanwhile: see AdmissionWaiter);
//  - INVALID_ARGUMENT for undecodable requests, UNAUTHENTICATED for a missing/wrong bearer token,
//    RESOURCE_EXHAUSTED (from gRPC) for messages above maxBodyBytes.
class GrpcReceiver
{
public:
    GrpcReceiver(const ReceiverConfig &config, IngestPipeline *pipeline);
    ~GrpcReceiver(); // stops

    // Binds and starts serving; false with a reason (address in use, unreadable TLS files).
    bool start(QString *error);
    // Stops accepting calls and waits (at most grace) for the calls in progress to be answered: every call is
    // either acknowledged after its data was queued, or refused.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    quint16 port() const { return m_port; } // the bound port (useful with port 0)
    bool isRunning() const { return m_server != nullptr; }

private:
    struct Services;
    ReceiverConfig m_config;
    IngestPipeline *m_pipeline;
    std::unique_ptr<Services> m_services;
    std::unique_ptr<grpc::Server> m_server;
    quint16 m_port = 0;
};

} // namespace Sextant

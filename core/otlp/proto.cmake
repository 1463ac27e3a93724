# Generated OTLP protobuf and gRPC code, in a library of its own so our strict flags do not apply to it.
# protoc must see the files relative to core/otlp so the descriptors carry the official paths
# (opentelemetry/proto/...), which is what the imports inside the .proto files name.
set(SEXTANT_PROTO_ROOT "${CMAKE_CURRENT_LIST_DIR}")
set(SEXTANT_PROTO_OUT "${CMAKE_CURRENT_BINARY_DIR}/otlp-gen")
set(SEXTANT_PROTO_NAMES
    opentelemetry/proto/common/v1/common
    opentelemetry/proto/resource/v1/resource
    opentelemetry/proto/trace/v1/trace
    opentelemetry/proto/logs/v1/logs
    opentelemetry/proto/metrics/v1/metrics
    opentelemetry/proto/collector/trace/v1/trace_service
    opentelemetry/proto/collector/logs/v1/logs_service
    opentelemetry/proto/collector/metrics/v1/metrics_service)

set(proto_sources)
set(proto_files)
foreach(name IN LISTS SEXTANT_PROTO_NAMES)
  list(APPEND proto_files "${SEXTANT_PROTO_ROOT}/${name}.proto")
  list(APPEND proto_sources "${SEXTANT_PROTO_OUT}/${name}.pb.cc" "${SEXTANT_PROTO_OUT}/${name}.pb.h")
  if(name MATCHES "_service$")
    list(APPEND proto_sources "${SEXTANT_PROTO_OUT}/${name}.grpc.pb.cc" "${SEXTANT_PROTO_OUT}/${name}.grpc.pb.h")
  endif()
endforeach()

add_custom_command(
  OUTPUT ${proto_sources}
  COMMAND ${CMAKE_COMMAND} -E make_directory "${SEXTANT_PROTO_OUT}"
  COMMAND protobuf::protoc -I "${SEXTANT_PROTO_ROOT}" --cpp_out "${SEXTANT_PROTO_OUT}" ${proto_files}
  COMMAND protobuf::protoc -I "${SEXTANT_PROTO_ROOT}" --grpc_out "${SEXTANT_PROTO_OUT}"
          "--plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>"
          ${SEXTANT_PROTO_ROOT}/opentelemetry/proto/collector/trace/v1/trace_service.proto
          ${SEXTANT_PROTO_ROOT}/opentelemetry/proto/collector/logs/v1/logs_service.proto
          ${SEXTANT_PROTO_ROOT}/opentelemetry/proto/collector/metrics/v1/metrics_service.proto
  DEPENDS ${proto_files} protobuf::protoc gRPC::grpc_cpp_plugin
  COMMENT "Generating OTLP protobuf and gRPC code"
  VERBATIM)

add_library(sextant_otlp_proto STATIC ${proto_sources})
target_include_directories(sextant_otlp_proto PUBLIC "${SEXTANT_PROTO_OUT}")
target_link_libraries(sextant_otlp_proto PUBLIC protobuf::libprotobuf gRPC::grpc++)
set_target_properties(sextant_otlp_proto PROPERTIES POSITION_INDEPENDENT_CODE ON AUTOMOC OFF)

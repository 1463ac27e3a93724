#pragma once

#include "anyvalue.h"

namespace Sextant {

struct Resource
{
    Attributes attributes;
    uint32_t droppedAttributesCount = 0;
    std::string schemaUrl; // the schema_url of the Resource{Spans,Logs,Metrics} that carried it

    // service.name, or empty when the resource has none.
    std::string serviceName() const;

    bool operator==(const Resource &) const = default;
};

struct Scope
{
    std::string name;
    std::string version;
    Attributes attributes;
    uint32_t droppedAttributesCount = 0;
    std::string schemaUrl; // the schema_url of the Scope{Spans,Logs,Metrics}

    bool operator==(const Scope &) const = default;
};

} // namespace Sextant

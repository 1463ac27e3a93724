#pragma once

#include "model/batch.h"

#include <QString>

namespace Sextant {

// Common interface of the export writers, so the CLI and the GUI pick a format without knowing the writer.
class BatchWriter
{
public:
    virtual ~BatchWriter() = default;
    virtual void write(const Batch &batch) = 0;
    // Completes the output (closing brackets, flushing); false on an I/O error.
    virtual bool finish() = 0;
    virtual QString errorString() const = 0;
};

} // namespace Sextant

#pragma once

#include "store/store.h"

#include <QString>

#include <memory>

class QWidget;

namespace Sextant {

// Opens a capture without freezing the window: Store::open runs on a worker thread (opening an older capture
// upgrades its schema and back-fills the indexes and aggregates, which takes seconds on a big file), while a local
// event loop keeps the GUI painting; a progress dialog appears when it takes longer than a moment. The upgrade is
// one transaction per step, so there is no Cancel: stopping halfway would only throw the work away.
std::unique_ptr<Store> openStoreResponsively(const QString &path, const Store::Options &options, QWidget *parent,
    QString *error);

} // namespace Sextant

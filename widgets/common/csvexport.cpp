#include "csvexport.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QThreadPool>

#include <algorithm>

namespace Sextant::CsvExport {

void copyToClipboard(const QString &csv)
{
    auto *mime = new QMimeData;
    mime->setText(csv);
    mime->setData(QStringLiteral("text/csv"), csv.toUtf8());
    QGuiApplication::clipboard()->setMimeData(mime);
}

bool writeFile(const QString &path, const Writer &writer, const std::atomic_bool *cancel, QString *error)
{
    error->clear();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot open %1 for writing: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    if (!writer(file, cancel, error)) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

Writer textWriter(const QString &csv)
{
    return [bytes = csv.toUtf8()](QIODevice &out, const std::atomic_bool *, QString *error) {
        if (out.write(bytes) != bytes.size()) {
            *error = QStringLiteral("cannot write: %1").arg(out.errorString());
            return false;
        }
        return true;
    };
}

void exportWithDialog(QWidget *parent, const QString &defaultName, Writer writer)
{
    QSettings settings;
    const QString key = QStringLiteral("csvExport/lastDir");
    const QString dir = settings.value(key, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).toString();
    const QString path = QFileDialog::getSaveFileName(parent, QStringLiteral("Export CSV"),
        QDir(dir).filePath(defaultName), QStringLiteral("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(key, QFileInfo(path).absolutePath());
    QPointer<QWidget> guard(parent);
    QThreadPool::globalInstance()->start([guard, path, writer = std::move(writer)] {
        QString error;
        if (writeFile(path, writer, nullptr, &error))
            return;
        QMetaObject::invokeMethod(
            qApp,
            [guard, error] {
                QMessageBox::warning(guard, QStringLiteral("Export CSV"), QStringLiteral("Export failed: %1").arg(error));
            },
            Qt::QueuedConnection);
    });
}

QList<int> selectedRows(const QAbstractItemView &view)
{
    QList<int> rows;
    if (!view.selectionModel())
        return rows;
    for (const QModelIndex &index : view.selectionModel()->selectedIndexes())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

Actions addActions(QWidget *widget, std::function<void()> copy, std::function<void()> exportFile)
{
    Actions a;
    a.copy = new QAction(QStringLiteral("Copy as CSV"), widget);
    a.copy->setToolTip(QStringLiteral("Copy the selected rows (all rows when none is selected) as CSV"));
    a.copy->setObjectName(QStringLiteral("copyCsvAction"));
    QObject::connect(a.copy, &QAction::triggered, widget, std::move(copy));
    a.exportFile = new QAction(QStringLiteral("Export CSV…"), widget);
    a.exportFile->setToolTip(QStringLiteral("Save the whole table as a CSV file"));
    a.exportFile->setObjectName(QStringLiteral("exportCsvAction"));
    QObject::connect(a.exportFile, &QAction::triggered, widget, std::move(exportFile));
    widget->addAction(a.copy);
    widget->addAction(a.exportFile);
    if (widget->contextMenuPolicy() == Qt::DefaultContextMenu)
        widget->setContextMenuPolicy(Qt::ActionsContextMenu);
    return a;
}

QString defaultFileName(const QString &prefix)
{
    return prefix + QDateTime::currentDateTime().toString(QStringLiteral("-yyyyMMdd-HHmmss")) + QStringLiteral(".csv");
}

} // namespace Sextant::CsvExport

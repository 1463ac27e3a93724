#include "servicecolors.h"

#include <array>

namespace Sextant {

namespace {

// Distinct, medium-light hues that keep dark text readable; no pure red.
constexpr std::array<QRgb, 20> Palette = {
    0x4e79a7, 0xf28e2b, 0x59a14f, 0xb07aa1, 0x76b7b2, 0xedc948, 0xff9da7, 0x9c755f, 0x17becf, 0x8cd17d,
    0xd37295, 0xa0cbe8, 0xffbe7d, 0x499894, 0x86bcb6, 0xf1ce63, 0xd4a6c8, 0xb6992d, 0x6b8ec8, 0xc49c94,
};

uint32_t fnv1a(std::string_view s)
{
    uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

} // namespace

QColor serviceColor(std::string_view serviceName)
{
    if (serviceName.empty())
        return QColor(0xa0, 0xa4, 0xab);
    return QColor(Palette[fnv1a(serviceName) % Palette.size()]);
}

QColor serviceColor(QStringView serviceName)
{
    const QByteArray utf8 = serviceName.toUtf8();
    return serviceColor(std::string_view(utf8.constData(), size_t(utf8.size())));
}

int servicePaletteSize()
{
    return int(Palette.size());
}

QColor servicePaletteColor(int index)
{
    return QColor(Palette[size_t(index) % Palette.size()]);
}

} // namespace Sextant

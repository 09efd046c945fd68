"""sRGB colours drawn as CMYK when the PDF's output intent is CMYK (the
press profiles), in WeasyPrint 70.

WeasyPrint draws a CSS colour in the space it is written in: an sRGB
colour (every colour of a theme, black text included) as DeviceRGB, which
PDF/X-1a forbids and a press would print as four-colour black.  With
``Stream.set_color`` wrapped, a grey (black included) is K alone (text in
100 % K), any other colour is converted through the output intent's ICC
profile to DeviceCMYK.  A PDF without a CMYK output intent is drawn as
before: the wrapper hands its colours on unchanged.

Installed only for a CMYK job (``press.render_options``), not with the
typographic extensions: a press PDF needs it even when they are off.
"""

from __future__ import annotations

_installed = False


def install() -> None:
    """Draw sRGB colours as DeviceCMYK in a PDF whose output intent is CMYK
    (idempotent; a PrintError on a WeasyPrint this was not written for)."""
    global _installed
    if _installed:
        return
    from . import check_internals, check_versions

    check_versions()
    check_internals(("cmyk",))
    from tinycss2.color5 import Color
    from weasyprint.pdf.stream import Stream

    original = Stream.set_color

    def set_color(self, color, stroke=False):
        if (self._output_intent == "device-cmyk" and color.space in ("srgb", "hsl", "hwb")
                and "device-cmyk" in self._color_profiles):
            red, green, blue = color.to("srgb").coordinates
            cmyk = _to_cmyk(self._color_profiles["device-cmyk"], red, green, blue)
            color = Color("device-cmyk", cmyk, color.alpha)
        return original(self, color, stroke)

    Stream.set_color = set_color
    _installed = True


def installed() -> bool:
    return _installed


_transforms: dict[int, object] = {}


def _to_cmyk(profile, red: float, green: float, blue: float) -> tuple[float, ...]:
    """An sRGB colour (0–1) in CMYK (0–1): a grey as K alone, else through ``profile``."""
    clamp = [min(1.0, max(0.0, value)) for value in (red, green, blue)]
    if max(clamp) - min(clamp) < 1 / 255:
        return (0.0, 0.0, 0.0, round(1 - sum(clamp) / 3, 4))
    from PIL import Image, ImageCms

    transform = _transforms.get(id(profile))
    if transform is None:
        transform = _transforms[id(profile)] = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), profile._profile, "RGB", "CMYK")
    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in clamp))
    return tuple(round(v / 255, 4) for v in ImageCms.applyTransform(pixel, transform)
                 .getpixel((0, 0)))

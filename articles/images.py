"""The photo pipeline: every photo, whatever door it came in by, passes here.

``process`` turns uploaded bytes into what we store: an upright original with
no metadata left but its colour profile, its long side capped, and WebP
renditions for ``srcset``. It raises ``ImageRefused`` with a message for the
editor when the bytes are not a photo we take.

Importing this module lowers Pillow's decompression-bomb limit for the whole
process and turns Pillow's bomb warning into an error, so every image field
of the site (officials' portraits too) refuses bombs, not only photos.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

try:
    import pillow_heif
except ImportError:  # pragma: no cover - pillow-heif is a dependency
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()

# A 48-megapixel phone photo (8064 x 6048) passes; a 100-megapixel PNG that
# unpacks from a few kilobytes does not.
MAX_PIXELS = 64_000_000
MAX_UPLOAD_BYTES = 40 * 1024 * 1024
ORIGINAL_LONG_SIDE = 2560
RENDITION_WIDTHS = (400, 800, 1600)
JPEG_QUALITY = 85
# Link previews (Facebook, Zalo) are drawn from 1200 px wide.
SHARE_WIDTH = 1200
# Twice the 160 x 200 CSS pixels an official's page gives the portrait.
PORTRAIT_SIZE = (320, 400)
WEBP_QUALITY = 78

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)

ACCEPTED_FORMATS = (
    ("JPEG", "PNG", "WEBP", "HEIF") if pillow_heif else ("JPEG", "PNG", "WEBP")
)
STORED_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "jpg"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"

HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")


class ImageRefused(ValueError):
    """The bytes are not a photo we accept; ``message`` says why, in Vietnamese."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    content: bytes


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    extension: str
    width: int
    height: int
    sha256: str
    renditions: list[Rendition] = field(default_factory=list)


def rendition_widths() -> tuple[int, ...]:
    return tuple(getattr(settings, "WARDNEWS_PHOTO_WIDTHS", RENDITION_WIDTHS))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sniff_refusal(data: bytes):
    """A specific message for the usual wrong files, or None."""
    head = data[:512].lstrip().lower()
    if (
        head.startswith(b"<?xml")
        and b"<svg" in data[:4096].lower()
        or head.startswith(b"<svg")
    ):
        return _(
            "Ảnh SVG (hình vẽ) không được nhận. Hãy dùng ảnh chụp JPEG, PNG hoặc WebP."
        )
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<body")):
        return _(
            "Tệp này là trang web (HTML) chứ không phải ảnh, dù tên tệp có đuôi ảnh."
        )
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS and pillow_heif is None:
        return _(
            "Ảnh HEIC của iPhone chưa đọc được. Hãy xuất ảnh sang JPEG (trên "
            "iPhone: Cài đặt › Camera › Định dạng › Tương thích nhất) rồi tải lên."
        )
    return None


def open_verified(data: bytes) -> Image.Image:
    """Open ``data`` as a JPEG, PNG, WebP or HEIC photo and decode it fully.

    Decides by content, never by file name. Raises ``ImageRefused`` for empty,
    unknown, truncated, oversized or bomb-like files.
    """
    if not data:
        return _refuse(_("Tệp rỗng (0 byte), không có ảnh nào bên trong."))
    if len(data) > MAX_UPLOAD_BYTES:
        return _refuse(
            _("Tệp quá lớn (hơn %(mb)d MB). Hãy thu nhỏ ảnh trước khi tải lên.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if (message := _sniff_refusal(data)) is not None:
        return _refuse(message)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _refuse(_bomb_message())
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return _refuse(
            _(
                "Không nhận ra ảnh. Chỉ nhận ảnh JPEG, PNG, WebP"
                "%(heic)s; tệp có thể đã bị đổi đuôi hoặc bị hỏng."
            )
            % {"heic": " hoặc HEIC" if pillow_heif else ""}
        )
    if image.width * image.height > MAX_PIXELS:
        return _refuse(_bomb_message())
    if image.width < 1 or image.height < 1:
        return _refuse(_("Ảnh không có điểm ảnh nào."))
    try:
        if image.format == "JPEG":
            # Decode at a reduced scale when the capped original is smaller.
            image.draft("RGB", (ORIGINAL_LONG_SIDE, ORIGINAL_LONG_SIDE))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _refuse(_bomb_message())
    except (OSError, SyntaxError, ValueError, EOFError):
        return _refuse(
            _("Ảnh bị hỏng hoặc chưa tải hết (tệp bị cắt cụt). Hãy chép lại ảnh gốc.")
        )
    return image


def _bomb_message():
    return _(
        "Ảnh có quá nhiều điểm ảnh (tối đa %(mp)d triệu), có thể là tệp độc hại. "
        "Hãy dùng ảnh chụp bình thường."
    ) % {"mp": MAX_PIXELS // 1_000_000}


def _refuse(message):
    raise ImageRefused(message)


def _normalise_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    if image.mode == "CMYK" or image.mode.startswith(("I", "F")):
        return image.convert("RGB")
    has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _profile(image: Image.Image) -> bytes | None:
    """The ICC colour profile to keep: none for CMYK, whose profile no
    longer fits once the pixels are converted to RGB."""
    return None if image.mode == "CMYK" else image.info.get("icc_profile") or None


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block must not cost the photo
        return image


def _encode(image: Image.Image, image_format: str, icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    options = {"icc_profile": icc} if icc else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # Baseline with optimised Huffman tables: a few % larger than
        # progressive, encoded in less than half the time. Pages show the
        # WebP renditions; the original is the no-JavaScript fallback.
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    elif image_format == "PNG":
        image.save(buffer, "PNG", **options)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        # method 2: about 5 % larger files than the default 4, twice as fast.
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=2, **options)
    return buffer.getvalue()


def make_renditions(
    image: Image.Image, icc: bytes | None, widths: tuple[int, ...] | None = None
) -> list[Rendition]:
    """WebP copies ``widths`` pixels wide, never wider than ``image``.

    A photo narrower than the largest width gets one rendition at its own
    width, so the lightbox always has a WebP to show.
    """
    widths = widths or rendition_widths()
    targets = sorted({min(width, image.width) for width in widths}, reverse=True)
    renditions = []
    source = image
    for width in targets:
        height = max(1, round(image.height * width / image.width))
        if (width, height) == (-(-source.width // 2), -(-source.height // 2)):
            # A half (1600 -> 800 -> 400; reduce() rounds up): a 2x2 box
            # average is as good as Lanczos here and ten times faster.
            source = source.reduce(2)
        elif (width, height) != source.size:
            # Each smaller copy is made from the previous one: as sharp, faster.
            source = source.resize(
                (width, height), Image.Resampling.LANCZOS, reducing_gap=2.0
            )
        renditions.append(Rendition(width, height, _encode(source, "WEBP", icc)))
    return sorted(renditions, key=lambda rendition: rendition.width)


def share_copy(data: bytes) -> Rendition:
    """A JPEG of a stored original, at most ``SHARE_WIDTH`` wide, for link
    previews: the apps citizens pass links around in show JPEG where some
    show no WebP, and show small files only. Transparency goes on white."""
    image = open_verified(data)
    icc = _profile(image)
    image = _normalise_mode(image)
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    if image.width > SHARE_WIDTH:
        height = max(1, round(image.height * SHARE_WIDTH / image.width))
        image = image.resize(
            (SHARE_WIDTH, height), Image.Resampling.LANCZOS, reducing_gap=2.0
        )
    return Rendition(image.width, image.height, _encode(image, "JPEG", icc))


def portrait(data: bytes) -> Rendition:
    """An official's portrait as their page shows it: upright, cut to 4:5
    around the upper middle (where a face is), ``PORTRAIT_SIZE`` pixels,
    WebP, with no EXIF (no GPS position, no camera)."""
    image = open_verified(data)
    icc = _profile(image)
    fitted = ImageOps.fit(
        _normalise_mode(_upright(image)),
        PORTRAIT_SIZE,
        Image.Resampling.LANCZOS,
        centering=(0.5, 0.35),
    )
    return Rendition(*PORTRAIT_SIZE, _encode(fitted, "WEBP", icc))


def process(data: bytes, widths: tuple[int, ...] | None = None) -> ProcessedImage:
    """Verify, orient, strip, cap and render one uploaded photo.

    The stored original keeps only the ICC colour profile: EXIF (with GPS),
    XMP and comments are dropped by writing the pixels afresh.
    """
    image = open_verified(data)
    source_format = image.format
    icc = _profile(image)
    if max(image.size) > ORIGINAL_LONG_SIDE:
        # Shrink before turning: the long side is the same either way, and
        # turning the smaller image is cheaper. EXIF stays in image.info.
        # Bilinear: for this mild reduction (a phone's 4000 px to 2560) no
        # visible difference from Lanczos, at less than half the time.
        image.thumbnail(
            (ORIGINAL_LONG_SIDE, ORIGINAL_LONG_SIDE),
            Image.Resampling.BILINEAR,
            reducing_gap=2.0,
        )
    upright = _normalise_mode(_upright(image))
    upright.info = {}
    stored_format = "JPEG" if source_format in ("JPEG", "HEIF") else source_format
    return ProcessedImage(
        content=_encode(upright, stored_format, icc),
        extension=STORED_EXTENSIONS[source_format],
        width=upright.width,
        height=upright.height,
        sha256=content_hash(data),
        renditions=make_renditions(upright, icc, widths),
    )


def renditions_from_original(
    data: bytes, widths: tuple[int, ...] | None = None
) -> list[Rendition]:
    """Renditions for an original already stored (it is upright and clean)."""
    image = open_verified(data)
    return make_renditions(_normalise_mode(image), _profile(image), widths)

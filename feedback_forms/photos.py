"""Photos residents attach to needs: checked, stripped, re-encoded, stored privately.

Checks, each with a translated message (the rest of the answers stay on the page):
- at most NEED_PHOTO_MAX_BYTES (10 MB), read in memory up to one byte more, never trusted by
  the declared size;
- JPEG, PNG or HEIC/HEIF by content (Pillow, and pillow-heif for HEIC), whatever the name says;
- at most MAX_PIXELS pixels, checked from the header before any decoding, so a small file that
  would decode to gigabytes (a "decompression bomb") is refused without decoding it.

What is kept: the pixels only, turned upright (EXIF orientation), scaled down to MAX_SIDE and
re-encoded as a new JPEG; the EXIF (camera, time, GPS location), XMP, IPTC, ICC and comments of
the upload are dropped because the saved image is built from the pixels alone.
"""

import datetime
import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from feedback_forms.models import Need, NeedPhoto

try:  # HEIC from iPhones; optional so a machine without the wheel still serves JPEG and PNG
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_FORMATS = {"HEIF"}
except ImportError:  # pragma: no cover -- the wheel is in requirements.txt
    HEIF_FORMATS = set()

ALLOWED_FORMATS = {"JPEG", "PNG", "MPO", *HEIF_FORMATS}
MAX_PIXELS = 50_000_000
MAX_SIDE = 2560
JPEG_QUALITY = 85
PENDING_HOURS = 24

MSG_TOO_LARGE = _("The photo is larger than %(size)s. Choose a smaller photo.")
MSG_NOT_IMAGE = _("The file is not a photo. Choose a JPEG, PNG or HEIC photo.")
MSG_WRONG_TYPE = _("This kind of image cannot be used. Choose a JPEG, PNG or HEIC photo.")
MSG_TOO_MANY_PIXELS = _(
    "The photo has too many pixels to be processed. Choose a smaller photo or a screenshot of it."
)
MSG_EMPTY = _("The photo file is empty. Choose the photo again.")
MSG_LOST = _("The photo could not be found any more. Choose the photo again.")


def max_bytes() -> int:
    return int(getattr(settings, "NEED_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def read_limited(uploaded: UploadedFile) -> bytes:
    limit = max_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(MSG_TOO_LARGE % {"size": filesizeformat(limit)}, code="too_large")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(MSG_TOO_LARGE % {"size": filesizeformat(limit)}, code="too_large")
    if not data:
        raise ValidationError(MSG_EMPTY, code="empty")
    return data


def clean_photo(uploaded: UploadedFile) -> CleanPhoto:
    """The re-encoded JPEG of an upload, or a ValidationError with a translated message."""
    data = read_limited(uploaded)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(MSG_TOO_MANY_PIXELS, code="bomb") from error
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            raise ValidationError(MSG_NOT_IMAGE, code="not_image") from error
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(MSG_WRONG_TYPE, code="wrong_type")
        width, height = image.size
        if width < 1 or height < 1 or width * height > MAX_PIXELS:
            raise ValidationError(MSG_TOO_MANY_PIXELS, code="bomb")
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            rgb = flatten(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(MSG_TOO_MANY_PIXELS, code="bomb") from error
        except (OSError, ValueError, SyntaxError, MemoryError) as error:
            raise ValidationError(MSG_NOT_IMAGE, code="not_image") from error
    # A new image from the pixels alone: nothing of the upload's metadata can come along.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    output = io.BytesIO()
    clean.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(output.getvalue(), clean.width, clean.height)


def flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency (PNG) is put on white, the way the photo looks on a page."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def token_digest(token: str) -> str:
    return hashlib.sha256(f"need-photo:{token}".encode()).hexdigest()


def store_pending(photo: CleanPhoto) -> str:
    """Keep a checked photo until the resident sends the form; returns the token to carry."""
    token = secrets.token_urlsafe(24)
    stored = NeedPhoto(
        token_digest=token_digest(token),
        width=photo.width,
        height=photo.height,
        size=len(photo.content),
    )
    stored.file.save(f"{secrets.token_hex(16)}.jpg", ContentFile(photo.content), save=False)
    stored.save()
    return token


def pending(token: str) -> NeedPhoto | None:
    """The pending photo of a token (not yet attached to a need), or None."""
    if not token or len(token) > 100:
        return None
    return NeedPhoto.objects.filter(token_digest=token_digest(token), need__isnull=True).first()


def attach(token: str, need: Need) -> NeedPhoto | None:
    """Give the need its photo (once: an attached photo is no longer pending)."""
    photo = pending(token)
    if photo is None:
        return None
    updated = NeedPhoto.objects.filter(pk=photo.pk, need__isnull=True).update(need=need)
    return photo if updated else None


def stale_pending(now: datetime.datetime | None = None) -> QuerySet[NeedPhoto]:
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=PENDING_HOURS)
    return NeedPhoto.objects.filter(need__isnull=True, created_at__lt=cutoff)


def purge_pending(now: datetime.datetime | None = None) -> int:
    """Photos uploaded with a form that was never sent: file and row deleted."""
    count = 0
    for photo in stale_pending(now):
        photo.file.delete(save=False)
        photo.delete()
        count += 1
    return count

"""Photos on needs: what a resident attaches is checked, stripped of metadata, re-encoded, kept
privately across the journey's steps, shown to the need's service only, and publicly only
once staff publish it. Bad files get a clear message and the rest of the answers stay."""

import io
import struct
import zlib

import pillow_heif
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.scheduler import registered_jobs
from cms.core.tests.factories import staff_user
from feedback_forms.models import Need, NeedPhoto
from feedback_forms.tests.factories import NeedFactory, need_data
from feedback_forms.tests.journey import hidden_fields
from programs.models import MunicipalService, ProgramCategory, Settlement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("instant_forms", "needs_form", "private_file_fields"),
]

URL = "/en/report-a-need/"
EXTRA = {"ramden_adamians_ekheba": "12"}
GPS_IFD = 0x8825


def jpeg_with_location(size=(1200, 900)) -> bytes:
    """A photo as a phone takes it: camera make, time and GPS position in its EXIF."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:20 10:00:00"  # DateTime
    exif[0x0112] = 6  # Orientation: rotated, must be applied before the EXIF goes
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (42.0, 20.0, 0.0), 3: "E", 4: (42.0, 35.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return buffer.getvalue()


def png_bytes(mode="RGBA", size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (0, 128, 0, 128) if mode == "RGBA" else 0).save(buffer, format="PNG")
    return buffer.getvalue()


def heic_bytes() -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (640, 480), (10, 20, 200))).save(buffer, quality=60)
    return buffer.getvalue()


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A valid PNG header announcing 900 million pixels in a file of a few hundred bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * (width // 8)
    data = zlib.compress(row * 10)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def answers(**overrides) -> dict:
    return need_data(
        Settlement.objects.first(), ProgramCategory.objects.first(), **EXTRA, **overrides
    )


def start(client: Client) -> dict:
    return hidden_fields(client.get(URL).content.decode())


def review(client: Client, content: bytes, name: str = "photo.jpg", **overrides):
    data = answers(**overrides)
    return client.post(
        URL,
        {**data, **start(client), "action": "review", "photo": SimpleUploadedFile(name, content)},
    )


def carried(html: str) -> dict:
    """Every hidden field of the check-answers page, as the browser sends them back."""
    import re

    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        fields[name] = value.replace("&quot;", '"').replace("&amp;", "&")
    return fields


def send_with_photo(client: Client, content: bytes, name: str = "photo.jpg"):
    checked = review(client, content, name)
    html = checked.content.decode()
    assert checked.status_code == 200, html[:3000]
    assert "Check your answers before sending" in html
    return client.post(URL, {**carried(html), "action": "submit"})


class TestJourney:
    def test_a_photo_is_stripped_re_encoded_and_kept_privately(self, client: Client) -> None:
        response = send_with_photo(client, jpeg_with_location())
        assert response.status_code == 303
        need = Need.objects.get()
        photo = need.photo
        assert photo.file.storage is storages["exports"]  # private, never MEDIA
        assert not storages["default"].exists(photo.file.name)
        stored = Image.open(photo.file.open("rb"))
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "comment" not in stored.info and "exif" not in stored.info
        assert (stored.width, stored.height) == (900, 1200)  # turned upright, then stripped
        raw = photo.file.open("rb").read()
        assert b"PhoneMaker" not in raw and b"secret comment" not in raw
        assert not photo.published

    @pytest.mark.parametrize(
        ("content", "name"),
        [(lambda: png_bytes(), "screen.png"), (heic_bytes, "IMG_0001.HEIC")],
    )
    def test_png_and_heic_are_accepted(self, client: Client, content, name: str) -> None:
        assert send_with_photo(client, content(), name).status_code == 303
        stored = Image.open(Need.objects.get().photo.file.open("rb"))
        assert stored.format == "JPEG"

    def test_change_keeps_the_photo(self, client: Client) -> None:
        html = review(client, jpeg_with_location()).content.decode()
        fields = carried(html)
        assert fields["photo_token"]
        back = client.post(URL, {**fields, "action": "change:title"})
        page = back.content.decode()
        assert "A photo is attached" in page
        assert f'value="{fields["photo_token"]}"' in page
        data = carried(page)
        data.update({key: value for key, value in answers().items() if key not in data})
        checked = client.post(URL, {**data, "title": "Another title", "action": "review"})
        sent = client.post(URL, {**carried(checked.content.decode()), "action": "submit"})
        assert sent.status_code == 303
        assert Need.objects.get().title == "Another title"
        assert NeedPhoto.objects.get().need is not None

    def test_without_a_photo_nothing_is_stored(self, client: Client) -> None:
        data = answers()
        checked = client.post(URL, {**data, **start(client), "action": "review"})
        assert "Not answered" in checked.content.decode()
        client.post(URL, {**carried(checked.content.decode()), "action": "submit"})
        assert Need.objects.count() == 1
        assert not NeedPhoto.objects.exists()

    def test_a_photo_token_is_attached_once(self, client: Client) -> None:
        html = review(client, jpeg_with_location()).content.decode()
        fields = carried(html)
        assert client.post(URL, {**fields, "action": "submit"}).status_code == 303
        other = Client()
        second = {**fields, **start(other), "idempotency_key": "", "personal_number": "01001012346"}
        other.post(URL, {**second, "action": "submit"})
        assert NeedPhoto.objects.count() == 1
        assert NeedPhoto.objects.get().need == Need.objects.order_by("created_at").first()


class TestBadFiles:
    @pytest.mark.parametrize(
        ("content", "name", "message"),
        [
            (b"just some text, not a photo", "photo.jpg", "The file is not a photo"),
            (b"GIF89a" + b"\x00" * 40, "anim.gif", "The file is not a photo"),
            (None, "anim.gif", "This kind of image cannot be used"),
            (png_bomb(), "bomb.png", "too many pixels"),
            (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "broken.jpg", "The file is not a photo"),
        ],
    )
    def test_a_clear_error_and_every_other_answer_kept(
        self, client: Client, content, name: str, message: str
    ) -> None:
        if content is None:
            buffer = io.BytesIO()
            Image.new("P", (20, 20)).save(buffer, format="GIF")
            content = buffer.getvalue()
        response = review(client, content, name, title="Broken bench in the park")
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html
        assert 'value="Broken bench in the park"' in html
        assert "რუსთაველის ქუჩაზე საღამოს ბნელა." in html  # the description, kept
        assert not NeedPhoto.objects.exists()
        assert not Need.objects.exists()

    def test_too_large(self, client: Client, settings) -> None:
        settings.NEED_PHOTO_MAX_BYTES = 1000
        html = review(client, jpeg_with_location()).content.decode()
        assert "The photo is larger than 1000" in html
        assert not NeedPhoto.objects.exists()

    def test_georgian_message(self, client: Client) -> None:
        data = answers()
        response = client.post(
            "/report-a-need/",
            {
                **data,
                **hidden_fields(client.get("/report-a-need/").content.decode()),
                "action": "review",
                "photo": SimpleUploadedFile("x.jpg", b"not an image"),
            },
        )
        assert "ფაილი ფოტო არ არის" in response.content.decode()

    def test_a_lost_pending_photo_asks_for_it_again(self, client: Client) -> None:
        html = review(client, jpeg_with_location()).content.decode()
        fields = carried(html)
        NeedPhoto.objects.all().delete()
        response = client.post(URL, {**fields, "action": "submit"})
        assert response.status_code == 200
        assert "The photo could not be found any more" in response.content.decode()
        assert not Need.objects.exists()


@pytest.fixture
def need_with_photo(client: Client):
    send_with_photo(client, jpeg_with_location())
    need = Need.objects.get()
    need.service = MunicipalService.objects.get(slug="infrastructure")
    need.save()
    return need


def representative(service: MunicipalService, username: str) -> Client:
    user = staff_user(SERVICE_REPRESENTATIVES, username=username)
    service.representatives.add(user)
    client = Client()
    client.force_login(user)
    return client


class TestWhoSeesIt:
    def test_staff_of_the_service_see_it_others_get_404(self, need_with_photo) -> None:
        url = f"/admin/feedback/need-photos/{need_with_photo.pk}/"
        own = representative(need_with_photo.service, "own")
        response = own.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        other_service = MunicipalService.objects.exclude(pk=need_with_photo.service_id).first()
        assert representative(other_service, "other").get(url).status_code == 404
        assert Client().get(url).status_code in (302, 403)
        manager = staff_user(PLATFORM_MANAGERS, username="manager")
        client = Client()
        client.force_login(manager)
        assert client.get(url).status_code == 200

    def test_public_only_once_published_by_the_service(self, need_with_photo) -> None:
        public = f"/photos/{need_with_photo.reference}/"
        assert Client().get(public).status_code == 404
        track = Client().get(f"/en/track/?reference={need_with_photo.reference}")
        assert public not in track.content.decode()
        other_service = MunicipalService.objects.exclude(pk=need_with_photo.service_id).first()
        publish = f"/admin/feedback/need-photos/{need_with_photo.pk}/publish/"
        assert (
            representative(other_service, "other").post(publish, {"published": "1"}).status_code
            == 404
        )
        assert Client().get(public).status_code == 404
        own = representative(need_with_photo.service, "own")
        assert own.post(publish, {"published": "1"}).status_code == 302
        assert Client().get(public).status_code == 200
        track = Client().get(f"/en/track/?reference={need_with_photo.reference}")
        assert public in track.content.decode()
        own.post(publish, {"published": "0"})
        assert Client().get(public).status_code == 404

    def test_inspect_view_shows_the_photo_to_its_service(self, need_with_photo) -> None:
        own = representative(need_with_photo.service, "own")
        html = own.get(
            f"/admin/snippets/feedback_forms/need/inspect/{need_with_photo.pk}/"
        ).content.decode()
        assert f"/admin/feedback/need-photos/{need_with_photo.pk}/" in html


def test_unsent_photos_are_purged(client: Client) -> None:
    import datetime

    from django.utils import timezone

    review(client, jpeg_with_location())
    job = {job.name: job for job in registered_jobs()}["purge_pending_photos"]
    assert job.run() == "0 unsent photos deleted"
    NeedPhoto.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert job.run() == "1 unsent photos deleted"
    assert not NeedPhoto.objects.exists()
    assert NeedFactory  # factories stay importable for the scope tests

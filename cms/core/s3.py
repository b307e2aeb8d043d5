"""The private bucket's storage (STORAGE_BACKEND=s3): every URL it gives out is signed."""

from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A private bucket: nothing is readable without a signature; every URL expires."""

    def signed_download_url(self, name: str, filename: str, content_type: str | None) -> str:
        """A GET URL valid for `querystring_expire` seconds that downloads as `filename`."""
        parameters = {"ResponseContentDisposition": content_disposition_header(True, filename)}
        if content_type:
            parameters["ResponseContentType"] = content_type
        return self.url(name, parameters=parameters, expire=self.querystring_expire)

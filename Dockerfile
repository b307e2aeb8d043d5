# syntax=docker/dockerfile:1
# Multi-stage build: dependencies are built once in a virtualenv, the runtime image copies it and
# runs as a non-root user. Migrations are a release step (`docker run IMAGE release`), never run
# on every start.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install -r /tmp/requirements.txt

# bookworm: its postgresql-client is 15, the major version of compose.yaml's PostgreSQL, so the
# image's pg_dump/pg_restore (manage.py backup/restore) match the server.
FROM python:3.11-slim-bookworm AS runtime
ENV PATH="/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/app/media \
    VAR_DIR=/app/var \
    PORT=8000
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --uid 1000 feedback \
    && mkdir -p /app/static /app/media /app/var/private /app/var/backups \
    && chown -R feedback:feedback /app
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=feedback:feedback . /app
# collectstatic needs settings that import; the build-time values are throwaway placeholders.
RUN SECRET_KEY=collectstatic PERSONAL_NUMBER_KEY=collectstatic-placeholder-of-32-characters ALLOWED_HOSTS=localhost \
    CSRF_TRUSTED_ORIGINS=http://localhost EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
    python manage.py collectstatic --no-input --verbosity 0 \
    && chown -R feedback:feedback /app/static
USER feedback
EXPOSE 8000
ENTRYPOINT ["/app/site/docker/entrypoint.sh"]
CMD ["web"]

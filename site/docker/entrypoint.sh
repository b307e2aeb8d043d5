#!/bin/sh
# Container entry point. `web` (the default) serves the site; `release` applies migrations and
# is run once per deployment, before the new web containers start; `worker` drains the task queue.
set -eu

case "${1:-web}" in
  web)
    exec gunicorn cms.wsgi:application --config site/docker/gunicorn.conf.py
    ;;
  release)
    python manage.py migrate --no-input
    python manage.py ensure_roles
    ;;
  worker)
    exec python manage.py db_worker
    ;;
  *)
    exec "$@"
    ;;
esac

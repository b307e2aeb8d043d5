#!/bin/sh
# Container entry point. `web` (the default) serves the site; `release` is run once per
# deployment, before the new web containers start: migrations, staff roles, the reference data
# and the pages every site needs (all idempotent, staff corrections survive); `worker` drains the
# task queue; `scheduler` runs the scheduled jobs every SCHEDULER_INTERVAL seconds (one process
# per deployment is enough, and a second one waits its turn on a database lock).
set -eu

case "${1:-web}" in
  web)
    exec gunicorn cms.wsgi:application --config site/docker/gunicorn.conf.py
    ;;
  release)
    python manage.py migrate --no-input
    python manage.py ensure_roles
    python manage.py load_reference_data
    python manage.py setup_site
    python manage.py invalidate_page_cache
    ;;
  worker)
    exec python manage.py db_worker
    ;;
  scheduler)
    exec python manage.py run_scheduled_jobs --every "${SCHEDULER_INTERVAL:-300}"
    ;;
  *)
    exec "$@"
    ;;
esac

"""Background work of the beneficiary-list import (django_tasks; a worker in production).

Only hashed rows reach a task: the uploaded file is read in the request and never stored.
"""

from django_tasks import task

from programs import beneficiary_import


@task()
def check_import(batch_id: int) -> str:
    """Count a large uploaded list's new and known people, then wait for confirmation."""
    batch = beneficiary_import.check_in_background(batch_id)
    return batch.status if batch else "missing"


@task()
def apply_import(batch_id: int, user_id: int) -> str:
    """Import a large confirmed list into the program's beneficiaries."""
    batch = beneficiary_import.apply_in_background(batch_id, user_id)
    return batch.status if batch else "missing"

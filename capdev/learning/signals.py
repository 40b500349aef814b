"""Deleting stored files once no row refers to them (an optional side effect, hence signals: they
also run when a version is discarded and its lessons and packages go with it by cascade).

Copies of a version share their images' files and their packages' extracted folders, so a file
is deleted only after the transaction commits and only if no other row still uses it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from capdev.learning.models import LessonImage, ScormPackage
from capdev.learning.scorm.archive import delete_tree


@receiver(post_delete, sender=LessonImage, dispatch_uid="learning_image_file_cleanup")
def _image_deleted(sender: Any, instance: LessonImage, **kwargs: Any) -> None:
    name = instance.file.name

    def cleanup() -> None:
        if name and not LessonImage.objects.filter(file=name).exists():
            default_storage.delete(name)

    transaction.on_commit(cleanup)


@receiver(post_delete, sender=ScormPackage, dispatch_uid="learning_package_files_cleanup")
def _package_deleted(sender: Any, instance: ScormPackage, **kwargs: Any) -> None:
    key, files, prefix = instance.storage_key, list(instance.files or []), instance.storage_prefix

    def cleanup() -> None:
        if not ScormPackage.objects.filter(storage_key=key).exists():
            delete_tree(files, prefix, default_storage)

    transaction.on_commit(cleanup)

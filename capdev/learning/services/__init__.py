"""Writes of the online part. Every function runs in a transaction, takes the acting user as
keyword-only `actor`, records an audit event and raises a DomainError naming the field at fault.

- `content`: lessons, lesson images and SCORM packages of a draft version, and the copier that
  carries them into derived versions and adaptations;
- `progress`: participants' progress (lessons opened and done, SCORM launches and commits), the
  figures on the enrolment, and the personal-data exporter and eraser.
"""

from capdev.learning.services.content import (
    add_lesson_image,
    copy_learning_content,
    create_lesson,
    delete_lesson,
    lock_draft,
    move_lesson,
    remove_lesson_image,
    remove_scorm_package,
    reorder_lessons,
    update_lesson,
    update_lesson_image,
    upload_scorm_package,
)
from capdev.learning.services.progress import (
    OnlineContent,
    commit_cmi,
    complete_lesson,
    erase_online_learning,
    export_online_learning,
    has_online_content,
    launch_sco,
    learner_name,
    online_content,
    open_lesson,
    package_done,
    refresh_online_progress,
    resume_data,
)

__all__ = [
    "OnlineContent",
    "add_lesson_image",
    "commit_cmi",
    "complete_lesson",
    "copy_learning_content",
    "create_lesson",
    "delete_lesson",
    "erase_online_learning",
    "export_online_learning",
    "has_online_content",
    "launch_sco",
    "learner_name",
    "lock_draft",
    "move_lesson",
    "online_content",
    "open_lesson",
    "package_done",
    "refresh_online_progress",
    "remove_lesson_image",
    "remove_scorm_package",
    "reorder_lessons",
    "resume_data",
    "update_lesson",
    "update_lesson_image",
    "upload_scorm_package",
]

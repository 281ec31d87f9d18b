"""Upload validated payload files to a tenant within its limits, resumably, with every verdict mapped to its line."""

from .upload_options import DEFAULT_JOURNAL, UploadOptions, UploadOutcome
from .uploader import resume_upload, upload_paths

__all__ = ["DEFAULT_JOURNAL", "UploadOptions", "UploadOutcome", "resume_upload", "upload_paths"]

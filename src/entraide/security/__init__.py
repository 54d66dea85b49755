"""Two-factor sign-in, encryption of documents at rest, backup and restore, retention."""

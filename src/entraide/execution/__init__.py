"""Incoming requests: admissibility, execution tasks for national authorities, challenges, return of evidence."""

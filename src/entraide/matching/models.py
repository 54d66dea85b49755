"""Subject normalisation, the index of subjects, deconfliction."""

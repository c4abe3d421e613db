"""Language data (word lists, patterns, gazetteers). Read only through :mod:`fa_policy_nlp.resources`."""

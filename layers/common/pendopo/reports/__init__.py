"""Reports built from the domain's figures: the monthly recap's HTML and CSV."""

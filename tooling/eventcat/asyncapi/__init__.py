"""AsyncAPI 3.0 in and out: export every service's contract, import existing AsyncAPI documents."""

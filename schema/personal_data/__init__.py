"""Personal data over GraphQL: subject access (erasure is the generated `erasePersonalData`)."""

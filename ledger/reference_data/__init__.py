"""Reference data the law takes as given: published figures loaded as versioned, write-side
records (the EU-wide recognition rates of APR Arts 42(1)(j), 45(1))."""

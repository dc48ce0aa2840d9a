"""The book's own scaling experiment, in numpy alone."""

// Empty until the first view lands; keeps the library target valid.

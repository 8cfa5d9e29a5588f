"""People, companies and topics: the editorial registry and extraction from article text."""

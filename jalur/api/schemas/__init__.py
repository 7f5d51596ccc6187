"""The API's request and response shapes, one module per area (JSON fields in English
snake_case). Codes are the stored values; each comes with its label in the request's language."""

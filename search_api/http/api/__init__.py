"""The JSON API: routes, parameters, response models and error handling."""

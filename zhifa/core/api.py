"""Shared REST API pieces: errors in the user's language for actions' refusals."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Turn the actions layer's Django errors into 400/403 answers with the Chinese message."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            detail = {"detail": [str(m) for m in exc.messages]}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and not isinstance(exc, exceptions.APIException):
        message = str(exc) or exceptions.PermissionDenied.default_detail
        return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)

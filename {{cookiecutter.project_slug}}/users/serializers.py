"""How the REST API names a person: their id and username, nothing private."""

from typing import Any

from rest_framework import serializers


class UserRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()

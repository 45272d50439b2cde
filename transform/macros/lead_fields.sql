{#-
    The lead fields the rules can name: the field as SalesRabbit calls it,
    its staging column, and its kind. `text` and `number` fields are checked
    by value; every field can carry a value of the wrong type (the tap keeps
    those in `invalid_values`), checked by the `data_type` rule.
-#}
{% macro lead_fields() %}
    {{ return([
        {'field': 'userName', 'column': 'user_name', 'kind': 'text'},
        {'field': 'firstName', 'column': 'first_name', 'kind': 'text'},
        {'field': 'lastName', 'column': 'last_name', 'kind': 'text'},
        {'field': 'businessName', 'column': 'business_name', 'kind': 'text'},
        {'field': 'email', 'column': 'email', 'kind': 'text'},
        {'field': 'phonePrimary', 'column': 'phone_primary', 'kind': 'text'},
        {
            'field': 'phoneAlternate',
            'column': 'phone_alternate',
            'kind': 'text',
        },
        {'field': 'street1', 'column': 'street1', 'kind': 'text'},
        {'field': 'street2', 'column': 'street2', 'kind': 'text'},
        {'field': 'city', 'column': 'city', 'kind': 'text'},
        {'field': 'state', 'column': 'state', 'kind': 'text'},
        {'field': 'zip', 'column': 'zip', 'kind': 'text'},
        {'field': 'country', 'column': 'country', 'kind': 'text'},
        {'field': 'status', 'column': 'status', 'kind': 'text'},
        {'field': 'notes', 'column': 'notes', 'kind': 'text'},
        {'field': 'latitude', 'column': 'latitude', 'kind': 'number'},
        {'field': 'longitude', 'column': 'longitude', 'kind': 'number'},
        {'field': 'userId', 'column': 'user_id', 'kind': 'other'},
        {'field': 'campaignId', 'column': 'campaign_id', 'kind': 'other'},
        {
            'field': 'statusModified',
            'column': 'status_modified_at',
            'kind': 'other',
        },
        {
            'field': 'ownerModified',
            'column': 'owner_modified_at',
            'kind': 'other',
        },
        {'field': 'dateCreated', 'column': 'created_at', 'kind': 'other'},
        {'field': 'dateModified', 'column': 'modified_at', 'kind': 'other'},
        {'field': 'customFields', 'column': 'custom_fields', 'kind': 'other'},
        {
            'field': 'integrationData',
            'column': 'integration_data',
            'kind': 'other',
        },
        {'field': 'appointment', 'column': 'appointment', 'kind': 'other'},
    ]) }}
{% endmacro %}

{#- (Its own file: sqlfluff renders `return` only across files.) -#}

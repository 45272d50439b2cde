with

source as (
    select * from {{ source('salesrabbit', 'leads') }}
),

renamed as (
    select
        id as lead_id,
        "userId" as user_id,
        {{ clean_text('"userName"') }} as user_name,
        {{ clean_text('"firstName"') }} as first_name,
        {{ clean_text('"lastName"') }} as last_name,
        {{ clean_text('"businessName"') }} as business_name,
        {{ clean_text('email') }} as email,
        {{ clean_text('"phonePrimary"') }} as phone_primary,
        {{ clean_text('"phoneAlternate"') }} as phone_alternate,
        {{ clean_text('street1') }} as street1,
        {{ clean_text('street2') }} as street2,
        {{ clean_text('city') }} as city,
        {{ clean_text('state') }} as state,
        {{ clean_text('zip') }} as zip,
        {{ clean_text('country') }} as country,
        latitude,
        longitude,
        {{ clean_text('status') }} as status,
        {{ clean_text('notes') }} as notes,
        "campaignId" as campaign_id,
        nullif("customFields", 'null') as custom_fields,
        nullif("integrationData", 'null') as integration_data,
        nullif(appointment, 'null') as appointment,
        nullif("extraFields", 'null') as extra_fields,
        nullif("invalidValues", 'null') as invalid_values,
        "dateCreated" at time zone 'utc' as created_at,
        "dateModified" at time zone 'utc' as modified_at,
        "statusModified" at time zone 'utc' as status_modified_at,
        "ownerModified" at time zone 'utc' as owner_modified_at,
        _sdc_deleted_at is not null as is_deleted,
        _sdc_deleted_at at time zone 'utc' as deleted_at,
        greatest(_sdc_batched_at, _sdc_deleted_at)
        at time zone 'utc' as synced_at,
        {{ salesrabbit_lead_url('id') }} as salesrabbit_url
    from source
)

select * from renamed

with

source as (
    select * from {{ source('salesrabbit', 'users') }}
),

renamed as (
    select
        id as user_id,
        {{ clean_text('"firstName"') }} as first_name,
        {{ clean_text('"lastName"') }} as last_name,
        {{ clean_text('email') }} as email,
        {{ clean_text('phone') }} as phone,
        active as is_active,
        {{ clean_text('role') }} as role,
        nullif("extraFields", 'null') as extra_fields,
        nullif("invalidValues", 'null') as invalid_values,
        "dateCreated" at time zone 'utc' as created_at,
        "dateModified" at time zone 'utc' as modified_at,
        _sdc_deleted_at is not null as is_deleted,
        greatest(_sdc_batched_at, _sdc_deleted_at)
        at time zone 'utc' as synced_at
    from source
)

select * from renamed

with

source as (
    select * from {{ source('salesrabbit', 'lead_status_histories') }}
),

renamed as (
    select
        id as lead_status_history_id,
        "leadId" as lead_id,
        "userId" as user_id,
        {{ clean_text('"previousStatus"') }} as previous_status,
        {{ clean_text('status') }} as status,
        nullif("extraFields", 'null') as extra_fields,
        nullif("invalidValues", 'null') as invalid_values,
        "statusModified" at time zone 'utc' as status_modified_at,
        _sdc_deleted_at is not null as is_deleted,
        greatest(_sdc_batched_at, _sdc_deleted_at)
        at time zone 'utc' as synced_at
    from source
)

select * from renamed

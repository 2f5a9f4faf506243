def handler(event, context):
    # A payment without an amount can never succeed: fail, so Lambda retries it, then gives up.
    if "amount" not in event:
        raise ValueError(f"payment {event.get('payment_id')} has no amount")
    return {"payment_id": event["payment_id"], "charged": event["amount"]}

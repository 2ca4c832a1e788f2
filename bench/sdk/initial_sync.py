"""A straightforward initial sync of a shop's customers into HubSpot contacts, written the way
the vendors' official Python SDKs document it: one Shopify bulk export (ShopifyAPI's GraphQL
client), then HubSpot batch upserts by e-mail, 100 contacts a request (hubspot-api-client).

The baseline of `compare.sh`. Reads the sandbox's connection line (the JSON `shopsync sandbox`
prints) on standard input; prints the contacts written on standard output.
"""

import json
import sys
import time
import urllib.request

import shopify
from hubspot import HubSpot
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInputUpsert,
    SimplePublicObjectBatchInputUpsert,
)

API_VERSION = "2026-10"
BULK_QUERY = """
{ customers { edges { node {
    id email firstName lastName phone createdAt updatedAt numberOfOrders
    defaultAddress { address1 city zip countryCodeV2 }
} } } }
"""
START = """mutation Start($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message }
  }
}"""
POLL = "{ currentBulkOperation { id status url errorCode } }"


def export_customers(sandbox):
    # The SDK only talks to NAME.myshopify.com over https: its class settings point it at the
    # sandbox on 127.0.0.1 instead ("127" + "." + "0.0.1", the port and plain http).
    scheme, rest = sandbox["shopify_url"].split("://", 1)
    host, port = rest.rsplit(":", 1)
    shopify.Session.protocol = scheme
    shopify.Session.myshopify_domain = host.split(".", 1)[1]
    shopify.Session.port = int(port)
    session = shopify.Session(host, API_VERSION, sandbox["shopify_token"])
    shopify.ShopifyResource.activate_session(session)
    graphql = shopify.GraphQL()
    started = json.loads(graphql.execute(START, variables={"query": BULK_QUERY}))
    errors = started["data"]["bulkOperationRunQuery"]["userErrors"]
    if errors:
        sys.exit(f"bulk export refused: {errors}")
    while True:
        op = json.loads(graphql.execute(POLL))["data"]["currentBulkOperation"]
        if op["status"] == "COMPLETED":
            break
        if op["status"] in ("FAILED", "CANCELED", "EXPIRED"):
            sys.exit(f"bulk export {op['status']}: {op['errorCode']}")
        time.sleep(0.2)
    customers = []
    if op["url"]:
        with urllib.request.urlopen(op["url"]) as answer:
            for line in answer:
                record = json.loads(line)
                if "__parentId" not in record:
                    customers.append(record)
    return customers


def contact(customer):
    address = customer.get("defaultAddress") or {}
    properties = {
        "email": customer["email"],
        "firstname": customer.get("firstName") or "",
        "lastname": customer.get("lastName") or "",
        "phone": customer.get("phone") or "",
        "address": address.get("address1") or "",
        "city": address.get("city") or "",
        "zip": address.get("zip") or "",
        "country": address.get("countryCodeV2") or "",
    }
    return SimplePublicObjectBatchInputUpsert(
        id=customer["email"], id_property="email", properties=properties
    )


def main():
    sandbox = json.loads(sys.stdin.readline())
    customers = [c for c in export_customers(sandbox) if c.get("email")]
    client = HubSpot(access_token=sandbox["hubspot_token"], host=sandbox["hubspot_url"])
    batch_api = client.crm.contacts.batch_api
    written = 0
    for start in range(0, len(customers), 100):
        batch = [contact(c) for c in customers[start : start + 100]]
        answer = batch_api.upsert(
            batch_input_simple_public_object_batch_input_upsert=(
                BatchInputSimplePublicObjectBatchInputUpsert(inputs=batch)
            )
        )
        written += len(answer.results)
    print(written)


if __name__ == "__main__":
    main()

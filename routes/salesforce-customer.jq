# The Salesforce sink's customer rules (routes/sink-salesforce.yaml): which Contact a case record belongs
# to. A case record in; out, the rules for this record and what happens when no Contact matches. Edit a
# copy and point vep.sinks.salesforce.customer-matching.rules at it; docs/salesforce.md says how. The
# language is jq, as in the mapping: `.visitorProfile.email` is that field of the record, `//` a fallback.
#
# Each rule: `field`, a Contact field (API name); `value`, where in the record the value to look for is
# (nothing there: the rule is skipped); `normalise`, how both sides are compared:
#   "email"   trimmed, ignoring case
#   "phone"   as one number however it is written (070-123 45 67 = +46 70 123 45 67), see
#             vep.sinks.salesforce.customer-matching.phone-country-code
#   left out  trimmed, ignoring case (as Salesforce compares text)
# All rules are asked in one query. They are tried in this order, and the first that finds any Contact
# decides: one Contact links the Case to it (ContactId, and its Account), several leave the Case unlinked
# and list it in GET /api/sinks/salesforce/unmatched for an admin.
#
# whenNone, when no rule finds a Contact (and the record has a value for at least one):
#   "leave"    the Case stays unlinked, and is listed in GET /api/sinks/salesforce/unmatched
#   "contact"  a Contact is created from the mapping's new_contact fields and the Case linked to it
#   "lead"     a Lead is created (upserted by the case id) from the mapping's new_lead fields; the Case
#              stays unlinked, since a Case cannot point to a Lead, and the Tasks go on the Lead
{
  rules: [
    {field: "Email", value: .visitorProfile.email, normalise: "email"},
    {field: "Phone", value: (.visitorProfile.phone // .visitorProfile.phoneNumber), normalise: "phone"}
    # A customer number the visitor gave in the chat form, in a custom field of Contact (mark it External ID,
    # so that Salesforce finds it by an index):
    # , {field: "VEP_Customer_No__c", value: .visitorProfile.customerNo}
  ],
  whenNone: "leave"
}

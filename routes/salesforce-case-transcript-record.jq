# The Salesforce sink's mapping with the transcript in a record of its own: a VEP_Transcript__c upserted
# beside the Case by its external id VEP_Transcript_Id__c (= caseId), its text in Body__c, linked to the
# Case through the lookup Case__c (relationship Case__r) by the Case's external id. For an org that
# wants transcripts as records (reports, sharing, page layouts) rather than a field on the Case.
# To use it: vep.sinks.salesforce.mapping=classpath:routes/salesforce-case-transcript-record.jq
#
# Otherwise as routes/salesforce-case.jq (the customer link, a Task per conversation, the whole transcript
# as a file when it is longer than Body__c): a case record in, the body of one Composite API call out.
# Edit a copy and point vep.sinks.salesforce.mapping at it; docs/salesforce.md says how.
#
# Besides the record (.), the route provides
#   variable("transcriptText")  the transcript as readable text, one line per message, cut to fit its field
#   variable("dataPath")        /services/data/v<api-version>, the start of every subrequest's URL
#   variable("customer")        who the visitor is in Salesforce (JSON text; `customer` below reads it):
#                               outcome "one" with contactId and accountId, "several", "none";
#                               create "contact" or "lead" when the customer rules create one; keys, the
#                               values the rules looked for by Contact field ({"Email": ..., "Phone": "+46..."})
#   variable("conversations")   each conversation of the case (a reopened case has several), for a Task each:
#                               number, interactionId, openedAt, closedAt, agents, ownerId, messages, text
#   variable("transcriptFile")  the whole transcript, when transcriptText had to be cut and Salesforce does not
#                               have it yet: attach, title, pathOnClient, key, data, contentDocumentId

# Value maps (picklists): the record's outcome as the Case's Status and Reason. An outcome not listed
# here gives no value, and the field is left as it is in Salesforce.
def status: {positive: "Closed", negative: "Closed", neutral: "Closed", unresolved: "Escalated"}[. // ""];
def reason: {positive: "Resolved", negative: "Not resolved", neutral: "Answered", unresolved: "Follow-up needed"}[. // ""];

# A field the record has no value for is left out, not blanked: Salesforce keeps what the Case has.
def without_nulls: with_entries(select(.value != null));

def url($path): variable("dataPath") + $path;
# (a route that does not set them gives no customer, no conversation, no file)
def customer: variable("customer") // "{}" | fromjson;
def conversations: variable("conversations") // "[]" | fromjson;
def transcript_file: variable("transcriptFile") // "{}" | fromjson;

# Who the Case and its Tasks belong to: the Contact the rules found, or the one created just before in this
# request ("@{vepContact.id}": Salesforce puts in the id its subrequest got). Nothing when none or several
# matched: the Case keeps the Contact it has (an admin's link stays).
def contact_id: customer | if .contactId then .contactId elif .create == "contact" then "@{vepContact.id}" else null end;
def lead_id: customer | if .create == "lead" then "@{vepLead.id}" else null end;

# The Case's fields. To add one: a line `Field__c: <where in the record>,` (the field must exist in Salesforce).
def case_fields: {
  Subject: .caseType.name,
  Status: (.outcome | status),
  Reason: (.outcome | reason),
  Origin: "Chat",
  OwnerId: .assignments[-1].agent.externalIds.Salesforce,   # the last agent who had the case
  ContactId: contact_id,
  AccountId: customer.accountId,                            # the matched Contact's Account
  VEP_Opportunity__c: .opportunity.name,
  VEP_Solution__c: .solution.name,
  VEP_Case_Type__c: .caseType.name,
  VEP_Handle_Time_Ms__c: .handleTimeMs,
  VEP_Revision__c: .revision
} | without_nulls;

# The transcript record's fields. Case__r finds the Case by VEP_Case_Id__c: no Salesforce id needed,
# and within one allOrNone request the Case upserted just before is found.
def transcript_fields: {
  Body__c: variable("transcriptText"),
  Case__r: {VEP_Case_Id__c: .caseId}
};

# A Contact for a visitor no Contact matched (customer rules: whenNone "contact"): the values the rules looked
# for (the phone as +46..., so that the next record finds it) and a name.
def new_contact: customer.keys + {
  LastName: (.visitorProfile.lastName // .visitorProfile.name // "Chat visitor"),
  FirstName: .visitorProfile.firstName
} | without_nulls;

# A Lead for a visitor no Contact matched (customer rules: whenNone "lead"). Company is required on a Lead.
def new_lead: {
  LastName: (.visitorProfile.lastName // .visitorProfile.name // "Chat visitor"),
  FirstName: .visitorProfile.firstName,
  Company: (.visitorProfile.company // "Unknown (chat)"),
  Email: customer.keys.Email,
  Phone: customer.keys.Phone,
  LeadSource: "Web"
} | without_nulls;

# A conversation's Task: completed, on the Contact's timeline (WhoId) and the Case's (WhatId). Salesforce
# allows no WhatId on a Lead's Task: with a Lead, the Task is on the Lead's timeline only.
def task_fields($record; $conversation): {
  Subject: ("Chat: " + ($record.caseType.name // "VEP case") + (if $conversation.number > 1 then " (conversation \($conversation.number))" else "" end)),
  Status: "Completed",
  Priority: "Normal",
  ActivityDate: ($conversation.closedAt // $record.closedAt | if . then .[0:10] else null end),   # the day it closed
  Description: $conversation.text,
  OwnerId: $conversation.ownerId,                           # the conversation's last agent with a Salesforce user id
  WhoId: ($record | contact_id // lead_id),
  WhatId: (if ($record | lead_id) then null else "@{vepCase.id}" end)
} | without_nulls;

# The whole transcript as a file on the Case (Files): a new version of the file an earlier revision attached,
# or a new file published to the Case. Its key (External ID, Unique) keeps redeliveries from adding another.
def file_fields: transcript_file | {
  Title: .title,
  PathOnClient: .pathOnClient,
  VersionData: .data,
  VEP_Transcript_Key__c: .key
} + (if .contentDocumentId then {ContentDocumentId: .contentDocumentId, ReasonForChange: "The case was reopened"}
     else {FirstPublishLocationId: "@{vepCase.id}"} end);

# The request. allOrNone: if any subrequest fails, none is kept. In order, since each may use the ids of the
# ones before it: a new Contact or Lead, the Case upserted by its external id VEP_Case_Id__c (= caseId), its
# transcript record, a Task per conversation upserted by VEP_Interaction_Id__c (= caseId:conversation), the
# transcript file.
. as $record
| {
  allOrNone: true,
  compositeRequest: [
    (if customer.create == "contact" then
      {method: "POST", url: url("/sobjects/Contact"), referenceId: "vepContact", body: new_contact}
     else empty end),
    (if customer.create == "lead" then
      {method: "PATCH", url: url("/sobjects/Lead/VEP_Case_Id__c/\(.caseId | @uri)"), referenceId: "vepLead", body: new_lead}
     else empty end),
    {
      method: "PATCH",
      url: url("/sobjects/Case/VEP_Case_Id__c/\(.caseId | @uri)"),
      referenceId: "vepCase",
      body: case_fields
    },
    {
      method: "PATCH",
      url: url("/sobjects/VEP_Transcript__c/VEP_Transcript_Id__c/\(.caseId | @uri)"),
      referenceId: "vepTranscript",
      body: transcript_fields
    },
    (conversations[] as $conversation |
      {method: "PATCH", url: url("/sobjects/Task/VEP_Interaction_Id__c/\($conversation.interactionId | @uri)"),
       referenceId: "vepTask\($conversation.number)", body: task_fields($record; $conversation)}),
    (if transcript_file.attach then
      {method: "POST", url: url("/sobjects/ContentVersion"), referenceId: "vepTranscriptFile", body: file_fields}
     else empty end)
  ]
}

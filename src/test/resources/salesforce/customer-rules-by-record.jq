# The jar's customer rules (routes/salesforce-customer.jq) plus a customer number in a custom field, with
# whenNone taken from the record (visitorProfile.whenNone), so that one test context can try every choice.
{
  rules: [
    {field: "Email", value: .visitorProfile.email, normalise: "email"},
    {field: "Phone", value: (.visitorProfile.phone // .visitorProfile.phoneNumber), normalise: "phone"},
    {field: "VEP_Customer_No__c", value: .visitorProfile.customerNo}
  ],
  whenNone: (.visitorProfile.whenNone // "leave")
}
